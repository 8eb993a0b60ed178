package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.core.app.Application;
import org.score4j.core.plugins.Catalog;
import org.score4j.runner.bench.BenchReport;
import org.score4j.runner.bench.Workload;

/**
 * {@code score4j bench}: the rounds interleave a fresh score4j process and a fresh peer process, the ratio is taken
 * per round and summarised by its median and range (checked with a stand-in peer, so without torch too), the verdict
 * against a workload's target, the PyTorch peer itself where torch is installed, and the mistakes.
 */
class BenchTest {
    @TempDir
    Path dir;

    /**
     * A stand-in for a Python with torch: answers the version probe, and for each workload run logs its call with the
     * times it started and ended, and returns a rate that doubles with every call (1000, 2000, 4000, …).
     */
    private Path standInPeer() throws Exception {
        Path python = dir.resolve("stand-in-python");
        Files.writeString(python, """
                #!/bin/sh
                if [ "$1" = "-c" ]; then echo "0.0+stand-in"; exit 0; fi
                here="$(dirname "$0")"
                n=$(cat "$here/peer-count" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$here/peer-count"
                start=$(date +%s%3N)
                case "$2" in *'"batch":256'*) ;; *) echo "no workload spec: $2" >&2; exit 3 ;; esac
                sleep 0.2
                rate=$((1000 << (n - 1)))
                echo "peer says hello"
                echo "{\\"rates\\": [$rate, $rate], \\"peak_rss_kib\\": 2000, \\"baseline_rss_kib\\": 1000, \\
                \\"matmul_flops\\": 1.0e11, \\"version\\": \\"stand-in\\", \\"threads\\": 1, \\
                \\"system\\": {\\"blas_library\\": \\"none\\", \\"env\\": {}}}"
                echo "$n $start $(date +%s%3N)" >> "$here/peer-calls"
                """);
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
        return python;
    }

    @Test
    void interleavesFreshProcessesAndTakesTheRatioPerRound() throws Exception {
        Path python = standInPeer();
        var r = Score4jProcess.run(dir, "bench", "--python", python.toString(), "--rounds", "3", "--repeats", "2",
                "--warmup", "0", "--threads", "1", "--workloads", "mlp-train-256", "-o", "b");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(dir.resolve("b/bench.json").toFile());

        // score4j, stand-in, score4j, stand-in, score4j, stand-in: one after the other, never overlapping.
        JsonNode sequence = json.get("sequence");
        assertThat(sequence).hasSize(6);
        long previousEnd = 0;
        for (int i = 0; i < 6; i++) {
            JsonNode e = sequence.get(i);
            assertThat(e.get("side").asText()).isEqualTo(i % 2 == 0 ? "score4j" : "pytorch");
            assertThat(e.get("round").asInt()).isEqualTo(i / 2 + 1);
            assertThat(e.get("started_ms").asLong()).isGreaterThanOrEqualTo(previousEnd);
            previousEnd = e.get("ended_ms").asLong();
        }
        // Each stand-in call is a process of its own, inside its slot of the sequence.
        List<String> calls = Files.readAllLines(dir.resolve("peer-calls"));
        assertThat(calls).hasSize(3);
        for (int k = 0; k < 3; k++) {
            String[] call = calls.get(k).split(" ");
            JsonNode slot = sequence.get(2 * k + 1);
            assertThat(Integer.parseInt(call[0])).isEqualTo(k + 1);
            assertThat(Long.parseLong(call[1])).isBetween(sequence.get(2 * k).get("ended_ms").asLong(),
                    slot.get("ended_ms").asLong());
        }

        // The ratio of each round is that round's score4j rate over that round's peer rate (1000, 2000, 4000).
        JsonNode w = json.get("tables").get(0).get("workloads").get(0);
        assertThat(w.get("workload").asText()).isEqualTo("mlp-train-256");
        JsonNode rounds = w.get("rounds");
        assertThat(rounds).hasSize(3);
        List<Double> expected = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            JsonNode round = rounds.get(k);
            JsonNode s = round.get("score4j");
            assertThat(s.get("rates")).hasSize(2);
            double s0 = s.get("rates").get(0).asDouble();
            double s1 = s.get("rates").get(1).asDouble();
            assertThat(round.get("score4j_rate").asDouble()).isCloseTo((s0 + s1) / 2, within(1e-6 * s0));
            assertThat(round.get("pytorch_rate").asDouble()).isEqualTo(1000.0 * (1 << k));
            double ratio = round.get("score4j_rate").asDouble() / (1000.0 * (1 << k));
            assertThat(round.get("ratio").asDouble()).isCloseTo(ratio, within(1e-9 * ratio));
            expected.add(ratio);
        }
        List<Double> sorted = new ArrayList<>(expected);
        sorted.sort(Double::compare);
        assertThat(w.get("ratio_median").asDouble()).isCloseTo(sorted.get(1), within(1e-9 * sorted.get(1)));
        assertThat(w.get("ratio_min").asDouble()).isEqualTo(sorted.get(0));
        assertThat(w.get("ratio_max").asDouble()).isEqualTo(sorted.get(2));
        // The rates of the table are medians over the rounds of each process's own median.
        assertThat(w.get("pytorch_rate").asDouble()).isEqualTo(2000.0);

        String table = Files.readString(dir.resolve("b/bench.md"));
        assertThat(table).contains("3 interleaved rounds per workload and thread count")
                .contains(String.format(Locale.ROOT, "**%.2f×** (%.2f–%.2f)", sorted.get(1), sorted.get(0), sorted.get(2)))
                .contains(String.format(Locale.ROOT, "- mlp-train-256: %.2f, %.2f, %.2f", expected.get(0),
                        expected.get(1), expected.get(2)))
                .contains("**1 native thread** on both sides").contains("PyTorch 100 GFLOP/s")
                .contains("| 1 (0) |");
        // The header names this side's BLAS and kernels and the CPU.
        assertThat(table).containsPattern("score4j bench: .+ logical CPUs; flags: ")
                .containsPattern("score4j side: .*BLAS OPENBLAS .*core ")
                .containsPattern("environment: .*`OMP_NUM_THREADS=1`");
        assertThat(r.out()).contains("| mlp-train-256 |");
    }

    @Test
    void everyStandardWorkloadPassesTheConfigurationCheckItsWorkerMakes() {
        Application app = new Application(Catalog.discover(null));
        for (Workload w : Workload.standard()) {
            assertThatCode(() -> app.resolve(ConfigFactory.parseString(w.config()))).as(w.name())
                    .doesNotThrowAnyException();
        }
    }

    /** MLP sampling warms up for at least MLP_SAMPLING_WARMUP_STEPS sampler steps, and not needlessly longer. */
    @Test
    void mlpSamplingWorkloadsWarmUpForTheirStepsInWholeRuns() {
        Application app = new Application(Catalog.discover(null));
        List<Workload> mlpSampling = Workload.standard().stream()
                .filter(w -> w.task() == Workload.Task.SAMPLE && !w.name().startsWith("unet")).toList();
        assertThat(mlpSampling).extracting(Workload::name)
                .containsExactly("mlp-sample-10k", "edm-sample-10k", "pflow-sample-10k");
        for (Workload w : mlpSampling) {
            var run = app.resolve(ConfigFactory.parseString(w.config()));
            long perRun = run.sampler().evaluations(run.grid());
            long least = (Workload.MLP_SAMPLING_WARMUP_STEPS + perRun - 1) / perRun;
            assertThat(w.warmup()).as(w.name() + " (" + perRun + " steps a run)").isEqualTo((int) least);
        }
    }

    @Test
    void flagsARangeThatCrossesItsTarget() {
        Workload training = Workload.named(List.of("mlp-train-256")).get(0);
        assertThat(training.target()).isEqualTo(2.0);
        assertThat(Workload.named(List.of("edm-sample-10k")).get(0).target()).isEqualTo(1.5);
        assertThat(cell(training, 2.1, 2.5, 3.0).verdict()).isEqualTo(BenchReport.Verdict.MET);
        assertThat(cell(training, 1.9, 2.1, 2.3).verdict()).isEqualTo(BenchReport.Verdict.MET_RANGE_CROSSES);
        assertThat(cell(training, 1.7, 1.8, 2.2).verdict()).isEqualTo(BenchReport.Verdict.NOT_MET_RANGE_CROSSES);
        assertThat(cell(training, 1.5, 1.6, 1.7).verdict()).isEqualTo(BenchReport.Verdict.NOT_MET);
        // An even number of rounds: the median is the mean of the middle two.
        assertThat(cell(training, 1.0, 4.0, 2.0, 3.0).ratios()).containsExactly(1.0, 4.0, 2.0, 3.0);
        assertThat(BenchReport.median(List.of(1.0, 4.0, 2.0, 3.0))).isEqualTo(2.5);
    }

    /** A cell whose rounds have the given ratios: score4j at 1000 × ratio, the peer at 1000. */
    private static BenchReport.Cell cell(Workload w, double... ratios) {
        List<BenchReport.Round> rounds = new ArrayList<>();
        for (int i = 0; i < ratios.length; i++) {
            rounds.add(new BenchReport.Round(i + 1, side(1000 * ratios[i]), side(1000), null));
        }
        return new BenchReport.Cell(w, rounds);
    }

    private static Map<String, Object> side(double rate) {
        Map<String, Object> m = new HashMap<>();
        m.put("rates", List.of(rate));
        return m;
    }

    @Test
    void measuresAWorkloadWithoutThePeer() throws Exception {
        var r = Score4jProcess.run(dir, "bench", "--no-peer", "--rounds", "1", "--repeats", "2", "--warmup", "0",
                "--threads", "1", "--workloads", "mlp-train-256", "-o", "b");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode w = new ObjectMapper().readTree(dir.resolve("b/bench.json").toFile()).get("tables").get(0)
                .get("workloads").get(0);
        assertThat(w.get("workload").asText()).isEqualTo("mlp-train-256");
        JsonNode s = w.get("rounds").get(0).get("score4j");
        assertThat(s.get("rates")).hasSize(2);
        s.get("rates").forEach(rate -> assertThat(rate.asDouble()).isPositive());
        // The default MLP, 11 → 128 → 128 → 128 → 2: a training step is three forward passes.
        assertThat(s.get("flops_per_item").asLong()).isEqualTo(3L * 2 * (11 * 128 + 128 * 128 * 2 + 128 * 2));
        assertThat(s.get("peak_rss_kib").asLong()).isGreaterThanOrEqualTo(s.get("baseline_rss_kib").asLong())
                .isPositive();
        assertThat(s.get("threads").asInt()).isEqualTo(1);
        assertThat(s.get("matmul_flops").asDouble()).isPositive();
        assertThat(s.get("peer").get("batch").asInt()).isEqualTo(256);
        assertThat(s.get("peer").get("sigmas")).hasSize(10);
        assertThat(w.get("ratios")).isEmpty();
        assertThat(Files.readString(dir.resolve("b/bench.md"))).contains("| mlp-train-256 | examples/s |")
                .contains("1 native thread** on both sides").contains("PyTorch side: not run: --no-peer");
    }

    @Test
    void runsThePyTorchPeerOnTheSameWorkloads() throws Exception {
        assumeTrue(torchAvailable(), "Debian's python3-torch is not installed");
        var r = Score4jProcess.run(dir, "bench", "--rounds", "1", "--repeats", "1", "--warmup", "0", "--threads", "2",
                "--workloads", "mlp-train-256,mlp-sample-10k,edm-sample-10k,pflow-sample-10k", "-o", "b");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode workloads = new ObjectMapper().readTree(dir.resolve("b/bench.json").toFile()).get("tables").get(0)
                .get("workloads");
        assertThat(workloads).hasSize(4);
        for (JsonNode w : workloads) {
            JsonNode peer = w.get("rounds").get(0).get("pytorch");
            assertThat(peer.get("rates").get(0).asDouble()).as(w.get("workload").asText()).isPositive();
            assertThat(peer.get("threads").asInt()).isEqualTo(2);
            assertThat(peer.get("matmul_flops").asDouble()).isPositive();
            assertThat(w.get("ratios")).hasSize(1);
        }
        String table = Files.readString(dir.resolve("b/bench.md"));
        assertThat(table).contains("PyTorch side: PyTorch ").contains("1024³ sgemm").containsPattern("\\| edm-sample-10k \\| "
                + "score evals/s \\| [0-9.]+ [kM]?\\s?\\| [0-9.]+ [kM]?\\s?\\| \\*\\*[0-9.]+×\\*\\* \\([0-9.]+–[0-9.]+\\)");
    }

    @Test
    void mistakesAreNamed() throws Exception {
        var unknown = Score4jProcess.inProcess("bench", "--workloads", "mlp-train", "-o", dir.resolve("u").toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown workload 'mlp-train'; known: mlp-train-256, mlp-train-4096, "
                + "mlp-sample-10k, edm-sample-10k, pflow-sample-10k, unet-train-64, unet-sample-64");
        var python = Score4jProcess.inProcess("bench", "--python", dir.resolve("no-python").toString(),
                "--workloads", "mlp-train-256", "-o", dir.resolve("p").toString());
        assertThat(python.exitCode()).isEqualTo(2);
        assertThat(python.err()).contains("no Python with torch (tried " + dir.resolve("no-python"))
                .contains("apt-get install python3-torch").doesNotContain("\tat ");
        var repeats = Score4jProcess.inProcess("bench", "--repeats", "0", "-o", dir.resolve("r").toString());
        assertThat(repeats.exitCode()).isEqualTo(2);
        assertThat(repeats.err()).contains("--repeats must be >= 1, got 0");
        var rounds = Score4jProcess.inProcess("bench", "--rounds", "0", "-o", dir.resolve("n").toString());
        assertThat(rounds.exitCode()).isEqualTo(2);
        assertThat(rounds.err()).contains("--rounds must be >= 1, got 0");
        var blas = Score4jProcess.inProcess("bench", "--python", standInPeer().toString(), "--peer-blas",
                dir.resolve("no-blas").toString(), "-o", dir.resolve("x").toString());
        assertThat(blas.exitCode()).isEqualTo(2);
        assertThat(blas.err()).contains("--peer-blas " + dir.resolve("no-blas") + ": expected system, openmp or a "
                + "directory holding libblas.so.3");
        var threads = Score4jProcess.inProcess("bench", "--threads", "1,0", "-o", dir.resolve("t").toString());
        assertThat(threads.exitCode()).isEqualTo(2);
        assertThat(threads.err()).contains("--threads must be >= 1, got 0");
    }

    private static boolean torchAvailable() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/python3"))) {
            return false;
        }
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").start();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
