package org.score4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.score4j.spark.SparkCli.score4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code score4j bench-spark} on one executor, briefly: its rows and figures. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SparkScalingBenchTest {
    @TempDir
    Path tmp;

    @Test
    void measuresTheLocalEngineAndAClusterPerAveragingPeriod() throws IOException {
        SparkCli.Result r = score4j("bench-spark", "--executors", "1", "--batch-sizes", "64", "--average-every", "1,4",
                "--steps", "32", "-o", tmp.resolve("b").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| 64 | local, 1 thread |", "| 64 | spark | 1 (gradients) | 1 |", "| 64 | spark | 4 steps | 1 |",
                "1.00× | 100 % |");
        JsonNode rows = new ObjectMapper().readTree(tmp.resolve("b/bench-spark.json").toFile()).path("rows");
        assertThat(rows).hasSize(4);
        for (JsonNode row : rows) {
            assertThat(row.path("examplesPerSecond").asDouble()).isPositive();
            // Steps/s times the batch is examples/s: both come from the same timed steps.
            assertThat(row.path("stepsPerSecond").asDouble() * 64).isCloseTo(row.path("examplesPerSecond").asDouble(),
                    org.assertj.core.data.Percentage.withPercentage(1e-6));
        }
        // Each row trained for real: its own training log, 32 steps.
        assertThat(Files.readAllLines(tmp.resolve("b/spark-1x-b64-k4/train-log.csv")).get(8)).startsWith("32,");
        SparkCli.Result bad = score4j("bench-spark", "--average-every", "5", "--steps", "32", "-o", tmp.resolve("c").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("every K must divide --steps (32)");
    }
}
