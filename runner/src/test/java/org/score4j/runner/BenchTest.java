package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code score4j bench}: the score4j side, the PyTorch peer (where torch is installed) and the mistakes. */
class BenchTest {
    @TempDir
    Path dir;

    @Test
    void measuresAWorkloadAndWritesItsTable() throws Exception {
        var r = Score4jProcess.run(dir, "bench", "--no-peer", "--repeats", "2", "--threads", "1",
                "--workloads", "mlp-train-256", "-o", "b");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode w = new ObjectMapper().readTree(dir.resolve("b/bench.json").toFile()).get("workloads").get(0);
        assertThat(w.get("workload").asText()).isEqualTo("mlp-train-256");
        JsonNode s = w.get("score4j");
        assertThat(s.get("rates")).hasSize(2);
        s.get("rates").forEach(rate -> assertThat(rate.asDouble()).isPositive());
        // The default MLP, 11 → 128 → 128 → 128 → 2: a training step is three forward passes.
        assertThat(s.get("flops_per_item").asLong()).isEqualTo(3L * 2 * (11 * 128 + 128 * 128 * 2 + 128 * 2));
        assertThat(s.get("peak_rss_kib").asLong()).isGreaterThanOrEqualTo(s.get("baseline_rss_kib").asLong())
                .isPositive();
        assertThat(s.get("threads").asInt()).isEqualTo(1);
        assertThat(s.get("peer").get("batch").asInt()).isEqualTo(256);
        assertThat(s.get("peer").get("sigmas")).hasSize(10);
        assertThat(Files.readString(dir.resolve("b/bench.md"))).contains("| mlp-train-256 | examples/s |")
                .contains("1 native threads on both sides").contains("nd4j-native (linux-x86_64").doesNotContain("unknown native build");
        assertThat(r.out()).contains("| mlp-train-256 |");
    }

    @Test
    void runsThePyTorchPeerOnTheSameWorkload() throws Exception {
        assumeTrue(torchAvailable(), "Debian's python3-torch is not installed");
        var r = Score4jProcess.run(dir, "bench", "--repeats", "1", "--threads", "2",
                "--workloads", "mlp-train-256,unet-sample-64", "-o", "b");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode workloads = new ObjectMapper().readTree(dir.resolve("b/bench.json").toFile()).get("workloads");
        assertThat(workloads).hasSize(2);
        for (JsonNode w : workloads) {
            assertThat(w.get("pytorch").get("rates").get(0).asDouble()).as(w.get("workload").asText()).isPositive();
            assertThat(w.get("pytorch").get("threads").asInt()).isEqualTo(2);
        }
        String table = Files.readString(dir.resolve("b/bench.md"));
        assertThat(table).contains("PyTorch ").contains("sgemm peak").containsPattern("\\| unet-sample-64 \\| score "
                + "evals/s \\| [0-9.]+ k?\\s?\\| [0-9.]+ k?\\s?\\| \\*\\*[0-9.]+×\\*\\*");
    }

    @Test
    void mistakesAreNamed() throws Exception {
        var unknown = Score4jProcess.inProcess("bench", "--workloads", "mlp-train", "-o", dir.resolve("u").toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown workload 'mlp-train'; known: mlp-train-256, mlp-train-4096, "
                + "mlp-sample-10k, unet-train-64, unet-sample-64");
        var python = Score4jProcess.inProcess("bench", "--python", dir.resolve("no-python").toString(),
                "--workloads", "mlp-train-256", "-o", dir.resolve("p").toString());
        assertThat(python.exitCode()).isEqualTo(2);
        assertThat(python.err()).contains("no Python with torch (tried " + dir.resolve("no-python"))
                .contains("apt-get install python3-torch").doesNotContain("\tat ");
        var repeats = Score4jProcess.inProcess("bench", "--repeats", "0", "-o", dir.resolve("r").toString());
        assertThat(repeats.exitCode()).isEqualTo(2);
        assertThat(repeats.err()).contains("--repeats must be >= 1, got 0");
    }

    private static boolean torchAvailable() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/python3"))) {
            return false;
        }
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").start();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
