package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ncsn-mlp's two paths: the fused kernels (a JVM with the vector API, as the launcher starts it) and ND4J's
 * operations (any other JVM) train the same network from the same draws to the same losses, up to float rounding.
 */
class VectorApiTest {
    @TempDir
    Path dir;

    @Test
    void fusedKernelsAndNd4jOperationsTrainAlike() throws Exception {
        String[] args = {"run", "--set", "train.steps=300", "--set", "train.log-every=1", "--set", "sample.count=500"};
        var fused = Score4jProcess.run(dir, concat(args, "-o", "fused"));
        assertThat(fused.exitCode()).as(fused.err()).isZero();
        var plain = Score4jProcess.runWithoutVectorApi(dir, concat(args, "-o", "plain"));
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(dir.resolve("fused/provenance.json").toFile()).findValue("vectorApi").asBoolean()).isTrue();
        assertThat(json.readTree(dir.resolve("plain/provenance.json").toFile()).findValue("vectorApi").asBoolean()).isFalse();
        List<Double> a = losses(dir.resolve("fused/train-log.csv"));
        List<Double> b = losses(dir.resolve("plain/train-log.csv"));
        assertThat(a).hasSize(300).hasSameSizeAs(b);
        // The same parameters and batch: the first losses differ by rounding only.
        assertThat(a.get(0)).isCloseTo(b.get(0), Percentage.withPercentage(1e-3));
        assertThat(a.get(1)).isCloseTo(b.get(1), Percentage.withPercentage(1e-3));
        JsonNode fa = json.readTree(dir.resolve("fused/metrics.json").toFile()).path("train");
        JsonNode pa = json.readTree(dir.resolve("plain/metrics.json").toFile()).path("train");
        for (int level = 0; level < 10; level++) {
            assertThat(fa.path("loss_per_sigma_bin").get(level).path("loss").asDouble()).as("level " + level)
                    .isCloseTo(pa.path("loss_per_sigma_bin").get(level).path("loss").asDouble(), Percentage.withPercentage(3));
        }
    }

    private static List<Double> losses(Path log) throws Exception {
        return Files.readAllLines(log).stream().skip(1).map(l -> Double.parseDouble(l.split(",")[1])).toList();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
