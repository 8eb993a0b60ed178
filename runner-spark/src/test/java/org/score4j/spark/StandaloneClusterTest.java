package org.score4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.score4j.spark.SparkCli.assertSameStudy;
import static org.score4j.spark.SparkCli.score4j;
import static org.score4j.spark.SparkCli.with;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkContext$;
import org.apache.spark.SparkStageInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark engine against a real standalone cluster: a master and two workers, each a JVM of its own on 127.0.0.1,
 * whose executors are JVMs again. score4j's classes reach the executors through spark.executor.extraClassPath.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class StandaloneClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    private static LoopbackCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = LoopbackCluster.start(shared.resolve("spark"), SparkCli.classPath(), new LoopbackCluster.Shape(2, 1, 1280),
                Duration.ofMinutes(2));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The engine options for {@code c}; the executors take score4j from the build's class path on this machine. */
    static String[] spark(LoopbackCluster c) {
        String own = LoopbackCluster.executorClassPath(SparkCli.classPath());
        return new String[] {"--engine", "spark", "--master", c.masterUrl(), "--conf", "spark.ui.enabled=false",
            "--conf", "spark.executor.memory=1g", "--conf", "spark.executor.extraClassPath=" + own};
    }

    @Test
    void aStudyOnTheClusterGivesTheLocalTable() throws IOException {
        // Two models (one diverges at once), two samplers: 4 cells, 2 Spark tasks, one per executor.
        SparkCli.Both both = SparkCli.ablate(tmp, """
                study {
                  name = cluster-vs-local
                  base { train.steps = 150, train.log-every = 50, sample.count = 200 }
                  grid { optimizer.learning-rate = [0.001, 1e12], sampler.name = [langevin, annealed-langevin] }
                  metrics = [ { name = "small-mode weight", path = "samples.mode_weights.0" } ]
                }
                """, "cluster", spark(cluster));
        SparkCli.Result local = both.local();
        SparkCli.Result remote = both.remote();
        assertThat(local.code()).as(local.err()).isEqualTo(1);
        assertThat(remote.code()).as(remote.err()).isEqualTo(1);
        assertThat(remote.err()).contains("spark engine on " + cluster.masterUrl(), "[4/4]");
        assertThat(assertSameStudy(tmp.resolve("local"), tmp.resolve("cluster"), 4)).isEqualTo(2);
    }

    @Test
    void samplingOnTheClusterEqualsOneProcessBitForBit() throws IOException {
        SparkCli.assertSamplingEqualsLocal(tmp, spark(cluster));
    }

    @Test
    @Tag("quality")
    void dataParallelTrainingOnTheClusterRecoversTheModeWeights() throws IOException {
        // Parameters averaged every 10 steps (the local[2] test covers gradients summed every step).
        SparkCli.Result r = score4j(with(with(new String[] {"run", "-o", tmp.resolve("dp").toString()}, spark(cluster)),
                "--conf", "score4j.average-every=10"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("training data-parallel on 2 shards", "parameters averaged every 10 steps");
        JsonNode m = JSON.readTree(tmp.resolve("dp/metrics.json").toFile());
        System.out.println("standalone cluster, 2 shards averaged every 10 steps: small-mode weight "
                + m.at("/samples/mode_weights/0").asDouble() + ", sliced W2 " + m.at("/samples/sliced_wasserstein2").asDouble());
        assertThat(m.at("/samples/mode_weights/0").asDouble()).isBetween(0.17, 0.23);
    }

    @Test
    void sparkSubmitRunsTheScore4jCommandOnTheCluster() throws Exception {
        // spark-submit's own entry point (what bin/spark-submit runs), in client mode: the score4j command is the
        // application, and the engine takes its master from spark-submit.
        List<Path> cp = SparkCli.classPath();
        String own = LoopbackCluster.executorClassPath(cp);
        Path application = LoopbackCluster.score4jEntries(cp).stream()
                .filter(p -> p.getFileName().toString().startsWith("score4j-runner")).findFirst().orElseThrow();
        Path out = tmp.resolve("submitted");
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g"));
        command.addAll(List.of(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptions().split("\\s+")));
        command.addAll(List.of("-cp", cp.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                "org.apache.spark.deploy.SparkSubmit", "--master", cluster.masterUrl(), "--deploy-mode", "client",
                "--class", "org.score4j.runner.Main", "--conf", "spark.executor.extraClassPath=" + own,
                "--conf", "spark.ui.enabled=false", application.toString(),
                "run", "--engine", "spark", "--set", "train.steps=100", "--set", "sample.count=200", "-o", out.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("submit.log").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("spark-submit did not finish in 5 minutes");
        }
        String log = Files.readString(tmp.resolve("submit.log"));
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log).contains("spark engine on " + cluster.masterUrl(), "training data-parallel on 2 shards");
        assertThat(JSON.readTree(out.resolve("metrics.json").toFile()).at("/train/steps").asLong()).isEqualTo(100);
        assertThat(out.resolve("samples.csv")).isRegularFile();
    }

    @Test
    void aWorkerKilledDuringAStudyLosesNothing() throws Exception {
        Path study = tmp.resolve("study.conf");
        // Four models, one task each, over two single-core workers; one worker dies while both are busy.
        Files.writeString(study, """
                study {
                  name = worker-lost
                  base { train.steps = 400, train.log-every = 100, sample.count = 200 }
                  grid { optimizer.learning-rate = [0.001, 0.002, 0.003, 0.004] }
                  metrics = [ { name = "small-mode weight", path = "samples.mode_weights.0" }, { name = "loss", path = "train.final_loss" } ]
                }
                """);
        SparkCli.Result local = score4j("ablate", "-c", study.toString(), "-o", tmp.resolve("local").toString());
        assertThat(local.code()).as(local.err()).isZero();
        try (LoopbackCluster doomed = LoopbackCluster.start(tmp.resolve("spark"), SparkCli.classPath(),
                new LoopbackCluster.Shape(2, 1, 1280), Duration.ofMinutes(2))) {
            CompletableFuture<SparkCli.Result> remote = CompletableFuture.supplyAsync(() -> score4j(with(new String[] {
                "ablate", "-c", study.toString(), "-o", tmp.resolve("cluster").toString()}, spark(doomed))));
            awaitRunningTasks(2, remote);
            doomed.killWorker(0);
            SparkCli.Result r = remote.get(8, TimeUnit.MINUTES);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(doomed.aliveWorkers()).isEqualTo(1);
        }
        assertThat(assertSameStudy(tmp.resolve("local"), tmp.resolve("cluster"), 4)).isZero();
    }

    /** Waits until the active Spark job runs {@code n} tasks at once (every executor busy). */
    private static void awaitRunningTasks(int n, CompletableFuture<?> job) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && !job.isDone()) {
            scala.Option<SparkContext> active = SparkContext$.MODULE$.getActive();
            if (active.isDefined()) {
                var tracker = active.get().statusTracker();
                int running = 0;
                for (int stage : tracker.getActiveStageIds()) {
                    scala.Option<SparkStageInfo> s = tracker.getStageInfo(stage);
                    running += s.isDefined() ? s.get().numActiveTasks() : 0;
                }
                if (running >= n) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the study never ran " + n + " tasks at once");
    }
}
