package org.score4j.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.runner.Main;
import org.score4j.core.UserError;
import org.score4j.core.output.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code score4j bench-spark}: training throughput of the spark engine against the number of executors, each a
 * single-core worker of a standalone cluster on this machine, next to the local engine.
 */
@Command(name = "bench-spark", mixinStandardHelpOptions = true,
        description = "Benchmark data-parallel training on Spark: examples/s of the default run's training against the "
                + "number of executors (single-core workers of a standalone cluster started on this machine), with the "
                + "speed-up over one executor, the scaling efficiency, and the local engine for reference.")
final class SparkScalingBenchCommand implements Callable<Integer> {
    @Option(names = "--executors", split = ",", defaultValue = "1,2,4", paramLabel = "N",
            description = "executor counts to measure (default: ${DEFAULT-VALUE})")
    List<Integer> executors;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "256,4096", paramLabel = "B",
            description = "train.batch-size values to measure (default: ${DEFAULT-VALUE})")
    List<Integer> batchSizes;

    @Option(names = "--average-every", split = ",", defaultValue = "1,10", paramLabel = "K",
            description = "score4j.average-every values to measure: 1 sums the shards' gradients every step, K > 1 averages "
                    + "the replicas every K steps (default: ${DEFAULT-VALUE})")
    List<Integer> averageEvery;

    @Option(names = "--steps", defaultValue = "240", paramLabel = "N",
            description = "training steps per measurement; the first eighth is warm-up and not timed (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "output directory (default: runs/bench-spark-<time>)")
    Path out;

    @Option(names = "--force", description = "write into a non-empty output directory")
    boolean force;

    /** One measurement: examples/s of the timed steps. */
    record Row(String engine, int batchSize, int executors, int averageEvery, double examplesPerSecond, double stepsPerSecond) {
    }

    @Override
    public Integer call() throws IOException {
        if (steps < 16) {
            throw new UserError("--steps must be ≥ 16 (an eighth of them is warm-up), got " + steps);
        }
        if (executors.stream().anyMatch(n -> n < 1) || batchSizes.stream().anyMatch(b -> b < 1)
                || averageEvery.stream().anyMatch(k -> k < 1 || steps % k != 0)) {
            throw new UserError("--executors, --batch-sizes and --average-every take positive numbers, and every K must divide "
                    + "--steps (" + steps + "); got " + executors + ", " + batchSizes + " and " + averageEvery);
        }
        try (RunDirectory dir = RunDirectory.create(out != null ? out : Path.of("runs", "bench-spark-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))), force, "score4j bench-spark")) {
            return bench(dir);
        }
    }

    private int bench(RunDirectory dir) throws IOException {
        List<Row> rows = new ArrayList<>();
        int cores = Runtime.getRuntime().availableProcessors();
        for (int batch : batchSizes) {
            rows.add(local(dir.path(), batch, 1));
            rows.add(local(dir.path(), batch, cores));
        }
        for (int n : executors) {
            rows.addAll(spark(dir.path(), n));
        }
        rows.sort(java.util.Comparator.comparingInt(Row::batchSize).thenComparing(r -> r.executors() == 0 ? 0 : 1)
                .thenComparingInt(Row::averageEvery).thenComparingInt(Row::executors));
        String table = markdown(rows, cores);
        dir.writeText("bench-spark.md", table + "\n");
        dir.writeJson("bench-spark.json", Map.of("rows", rows, "cores", cores, "steps", steps));
        System.out.println(table);
        System.out.println("\nwrote " + dir.path() + " (bench-spark.md, bench-spark.json, one training directory per row)");
        return 0;
    }

    private Row local(Path out, int batch, int threads) throws IOException {
        int native0 = Nd4j.getEnvironment().maxThreads();
        int blas0 = Nd4j.factory().blas().getMaxThreads();
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        try {
            Path run = out.resolve("local-" + threads + "t-b" + batch);
            train(run, batch);
            return measured("local, " + threads + " thread" + (threads == 1 ? "" : "s"), run, batch, 0, 0);
        } finally {
            Nd4j.getEnvironment().setMaxThreads(native0);
            Nd4j.factory().blas().setMaxThreads(blas0);
        }
    }

    /** Every batch size and averaging period on one cluster of {@code n} single-core workers. */
    private List<Row> spark(Path out, int n) throws IOException {
        System.err.println("score4j: a standalone cluster of " + n + " single-core worker" + (n == 1 ? "" : "s") + " ...");
        List<Row> rows = new ArrayList<>();
        try (LoopbackCluster cluster = LoopbackCluster.start(out.resolve("cluster-" + n).toAbsolutePath(),
                LoopbackCluster.ownClassPath(), new LoopbackCluster.Shape(n, 1, 1280), Duration.ofMinutes(2))) {
            // The executors run on this machine: they take score4j's classes from where this process has them.
            String own = LoopbackCluster.executorClassPath(LoopbackCluster.ownClassPath());
            for (int batch : batchSizes) {
                for (int k : averageEvery) {
                    Path run = out.resolve("spark-" + n + "x-b" + batch + "-k" + k);
                    train(run, batch, "--engine", "spark", "--master", cluster.masterUrl(), "--conf", "spark.ui.enabled=false",
                            "--conf", SparkEngine.SHARDS + "=" + n, "--conf", SparkEngine.AVERAGE_EVERY + "=" + k,
                            "--conf", "spark.executor.extraClassPath=" + own);
                    rows.add(measured("spark", run, batch, n, k));
                }
            }
        }
        return rows;
    }

    private void train(Path run, int batch, String... engine) {
        List<String> args = new ArrayList<>(List.of("train", "-o", run.toString(), "--set", "train.steps=" + steps,
                "--set", "train.batch-size=" + batch, "--set", "train.log-every=" + steps / 8,
                "--set", "train.checkpoint-every=" + steps));
        args.addAll(List.of(engine));
        int code = Main.execute(args.toArray(String[]::new));
        if (code != 0) {
            throw new UserError("the benchmark's training in " + run + " failed (exit " + code + ")", UserError.FAILED);
        }
    }

    /** Throughput between the first log row (after the warm-up eighth) and the last. */
    private static Row measured(String engine, Path run, int batch, int executors, int averageEvery) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("train-log.csv"));
        String[] first = lines.get(1).split(",");
        String[] last = lines.get(lines.size() - 1).split(",");
        long steps = Long.parseLong(last[0]) - Long.parseLong(first[0]);
        double seconds = Double.parseDouble(last[last.length - 1]) - Double.parseDouble(first[first.length - 1]);
        return new Row(engine, batch, executors, averageEvery, steps * batch / seconds, steps / seconds);
    }

    static String markdown(List<Row> rows, int cores) {
        StringBuilder b = new StringBuilder();
        b.append("Data-parallel training of the default run (ncsn-mlp, dsm) on a machine with ").append(cores)
                .append(" cores; executors are single-core workers of a standalone cluster on this machine, the driver "
                        + "shares the cores.\n\n");
        b.append("| batch | engine | averaged every | executors | steps/s | examples/s | speed-up over 1 executor | scaling efficiency |\n");
        b.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
        Map<List<Integer>, Double> one = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.executors() == 1) {
                one.put(List.of(r.batchSize(), r.averageEvery()), r.examplesPerSecond());
            }
        }
        for (Row r : rows) {
            Double base = one.get(List.of(r.batchSize(), r.averageEvery()));
            String speedup = r.executors() == 0 || base == null ? "" : String.format(Locale.ROOT, "%.2f×", r.examplesPerSecond() / base);
            String efficiency = r.executors() == 0 || base == null ? ""
                    : String.format(Locale.ROOT, "%.0f %%", 100 * r.examplesPerSecond() / base / r.executors());
            b.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %.1f | %.0f | %s | %s |%n", r.batchSize(), r.engine(),
                    r.executors() == 0 ? "" : r.averageEvery() == 1 ? "1 (gradients)" : r.averageEvery() + " steps",
                    r.executors() == 0 ? "" : Integer.toString(r.executors()), r.stepsPerSecond(), r.examplesPerSecond(),
                    speedup, efficiency));
        }
        return b.toString().stripTrailing();
    }
}
