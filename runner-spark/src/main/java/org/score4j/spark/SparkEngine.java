package org.score4j.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.tensors.ShapeInfoCache;
import org.score4j.core.RunProgress;
import org.score4j.core.UserError;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.engine.Engine;
import org.score4j.core.engine.EngineSettings;
import org.score4j.core.output.Provenance;
import org.score4j.core.output.RunDirectory;
import org.score4j.core.run.Sampled;
import org.score4j.core.run.TrainedModel;
import org.score4j.core.sampling.ChainSampling;
import org.score4j.core.study.Cell;
import org.score4j.core.study.CellOutcome;
import org.score4j.core.study.StudyCells;
import org.score4j.core.study.StudyPlan;
import org.score4j.core.training.Checkpoints;
import org.score4j.core.training.TrainingResult;

/**
 * The spark engine: a study's model groups, a run's sampling batches and a training step's gradient shards run as
 * Spark tasks. Tasks get their work as configuration text and file bytes and hand back files and arrays; the driver
 * (this process) writes the run and study directories, so their layout is the local engine's.
 */
final class SparkEngine implements Engine {
    /** Where the launcher lists the jars executors need (score4j and its dependencies, not Spark's own). */
    static final String JARS_PROPERTY = "score4j.spark.jars";

    /** The engine setting for the number of shards of a data-parallel training step (default: the task slots). */
    static final String SHARDS = "score4j.shards";

    /** The engine setting for averaging replicas' parameters every K steps instead of summing gradients every step. */
    static final String AVERAGE_EVERY = "score4j.average-every";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.regex.Pattern MASTER = java.util.regex.Pattern.compile(
            "local(\\[(\\*|\\d+)(,\\d+)?])?|spark://[^\\s]+|yarn|k8s://[^\\s]+");

    private final EngineSettings settings;
    private final JavaSparkContext spark;
    private final List<String> plugins = new ArrayList<>();
    private final RunProgress console;
    private final int nativeThreads;
    private final int blasThreads;
    private final int shards;
    private final int averageEvery;

    SparkEngine(EngineSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.console = settings.progress();
        // Under spark-submit, its --master arrives as the spark.master property.
        String submitted = System.getProperty("spark.master");
        String master = settings.master() != null ? settings.master() : submitted != null ? submitted : "local[*]";
        if (!MASTER.matcher(master).matches()) {
            throw new UserError("--master expects local, local[N], local[*], local[N,retries], spark://host:port[,host:port…], "
                    + "yarn or k8s://URL, got '" + master + "'");
        }
        reachable(master);
        int requestedShards = positive(SHARDS, settings.conf().get(SHARDS), "the number of shards of a training step");
        averageEvery = Math.max(1, positive(AVERAGE_EVERY, settings.conf().get(AVERAGE_EVERY),
                "the steps between parameter averages (1: sum the shards' gradients every step)"));
        SparkConf conf = new SparkConf().setAppName("score4j").setMaster(master);
        settings.conf().forEach((k, v) -> {
            if (!k.equals(SHARDS) && !k.equals(AVERAGE_EVERY)) {
                conf.set(k, v);
            }
        });
        if (master.matches("spark://(127\\.0\\.0\\.1|localhost)(:\\d+)?") && !conf.contains("spark.driver.host")) {
            // Workers on the loopback address can only reach a driver there too.
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        String jars = System.getProperty(JARS_PROPERTY);
        if (!master.startsWith("local") && jars != null && !jars.isBlank() && !conf.contains("spark.jars")
                && !conf.contains("spark.executor.extraClassPath")) {
            conf.set("spark.jars", jars);
        }
        String executorOptions = conf.get("spark.executor.extraJavaOptions", "");
        // Executors compute as this driver does: both ncsn models' CPU kernels need the vector API, and arrays are
        // made with the same shape descriptors.
        if (!master.startsWith("local") && Provenance.vectorApi() && !executorOptions.contains("jdk.incubator.vector")) {
            executorOptions = (executorOptions + " --add-modules=jdk.incubator.vector").trim();
        }
        if (!master.startsWith("local") && Nd4j.getShapeInfoProvider() instanceof ShapeInfoCache shapes
                && shapes.caching() && !executorOptions.contains(ShapeInfoCache.PROPERTY)) {
            executorOptions = (executorOptions + " -D" + ShapeInfoCache.PROPERTY + "=" + ShapeInfoCache.class.getName())
                    .trim();
        }
        if (!executorOptions.isEmpty()) {
            conf.set("spark.executor.extraJavaOptions", executorOptions);
        }
        nativeThreads = Nd4j.getEnvironment().maxThreads();
        blasThreads = Nd4j.factory().blas().getMaxThreads();
        try {
            spark = new JavaSparkContext(conf);
        } catch (Exception e) {
            throw new UserError("cannot start Spark with --master " + master + ": " + firstLine(e), UserError.FAILED);
        }
        spark.setLogLevel("WARN");
        shards = requestedShards > 0 ? requestedShards : spark.sc().defaultParallelism();
        try {
            shipPlugins(settings.plugins());
        } catch (RuntimeException e) {
            spark.stop();
            throw e;
        }
        if (spark.isLocal()) {
            // Task slots share this JVM's cores: each gets its slice instead of all of them fighting over every core.
            int slots = Math.max(1, spark.sc().defaultParallelism());
            int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / slots);
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
        }
        console.note("score4j: spark engine on " + master + " (Spark " + spark.version() + ", "
                + spark.sc().defaultParallelism() + " task slots"
                + (plugins.isEmpty() ? "" : ", shipping " + plugins.size() + " plugin jar" + (plugins.size() == 1 ? "" : "s"))
                + ")");
    }

    /** A standalone master must answer before Spark starts, which would otherwise retry for a minute and then stop. */
    private static void reachable(String master) {
        if (!master.startsWith("spark://")) {
            return;
        }
        List<String> failures = new ArrayList<>();
        for (String address : master.substring("spark://".length()).split(",")) {
            int colon = address.lastIndexOf(':');
            try (java.net.Socket socket = new java.net.Socket()) {
                String host = colon < 0 ? address : address.substring(0, colon);
                int port = colon < 0 ? 7077 : Integer.parseInt(address.substring(colon + 1));
                socket.connect(new java.net.InetSocketAddress(host, port), 3000);
                return;
            } catch (IOException | NumberFormatException e) {
                failures.add(address + " (" + (e instanceof NumberFormatException ? "not a port" : e.getMessage()) + ")");
            }
        }
        throw new UserError("cannot reach the Spark master " + master + ": " + String.join(", ", failures)
                + ". Is it running? (score4j spark-cluster starts one on this machine.)", UserError.FAILED);
    }

    /** Spark stops the application when its master gives up on it; jobs then cannot be submitted. */
    static void requireRunning(JavaSparkContext spark) {
        if (spark.sc().isStopped()) {
            throw new UserError("the Spark application was stopped (its master became unreachable or killed it); "
                    + "see Spark's messages above", UserError.FAILED);
        }
    }

    /** A positive engine setting given with --conf, or 0 when not given. */
    private static int positive(String key, String value, String meaning) {
        if (value == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError("--conf " + key + " expects " + meaning + " (≥ 1), got '" + value + "'");
    }

    private void shipPlugins(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path jar : s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                spark.addFile(jar.toAbsolutePath().toString());
                plugins.add(jar.getFileName().toString());
            }
        } catch (IOException e) {
            throw new UserError("cannot list the plugin directory " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public List<CellOutcome> runStudy(StudyPlan plan, RunProgress progress) {
        requireRunning(spark);
        List<Cell> cells = plan.cells();
        Path out = plan.out();
        List<CellOutcome> outcomes = new ArrayList<>(plan.previous());
        progress.note(StudyCells.announcement(plan, "one Spark task per model"));
        AtomicInteger done = new AtomicInteger(plan.reused());
        long started = System.nanoTime();
        ExecutorService waiting = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "score4j-study-job");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<Void>> jobs = new ArrayList<>();
            for (var group : plan.groups().entrySet()) {
                String key = group.getKey();
                List<Integer> members = group.getValue();
                StudyTask task = new StudyTask(key, members.stream().map(i -> StudyTask.CellSpec.of(cells.get(i))).toList(),
                        DirectoryBytes.read(out, out.resolve("models").resolve(key)), List.copyOf(plugins));
                spark.setJobGroup("score4j-model-" + key, "score4j study model " + key + ": "
                        + members.stream().map(i -> cells.get(i).title()).collect(Collectors.joining("; ")), false);
                JavaFutureAction<List<StudyTask.Result>> job = spark.parallelize(Collections.singletonList(task), 1)
                        .map(StudyTask::run).collectAsync();
                jobs.add(CompletableFuture.runAsync(() -> {
                    List<CellOutcome> finished = collect(job, key, members, cells, out);
                    synchronized (outcomes) {
                        for (int j = 0; j < members.size(); j++) {
                            outcomes.set(members.get(j), finished.get(j));
                            progress.note(StudyCells.report(finished.get(j), done.incrementAndGet(), cells.size(), started));
                        }
                    }
                }, waiting));
            }
            CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new)).join();
        } finally {
            waiting.shutdownNow();
        }
        return outcomes;
    }

    /** Waits for a model's job and writes what it produced; a job Spark gave up on fails its cells, with its error. */
    private static List<CellOutcome> collect(JavaFutureAction<List<StudyTask.Result>> job, String key,
                                                     List<Integer> members, List<Cell> cells, Path out) {
        StudyTask.Result result;
        try {
            result = job.get().get(0);
        } catch (ExecutionException | InterruptedException e) {
            String why = "its Spark task failed: " + firstLine(e.getCause() != null ? e.getCause() : e);
            return members.stream().map(i -> StudyCells.failedToRun(cells.get(i), out, why)).toList();
        }
        DirectoryBytes.delete(out.resolve("models").resolve(key));
        for (int i : members) {
            DirectoryBytes.delete(out.resolve("cells").resolve(cells.get(i).id()));
        }
        DirectoryBytes.write(out, result.files());
        List<CellOutcome> outcomes = new ArrayList<>();
        for (int j = 0; j < members.size(); j++) {
            StudyTask.CellResult r = result.outcomes().get(j);
            try {
                outcomes.add(new CellOutcome(cells.get(members.get(j)), r.status(),
                        r.metrics() == null ? null : JSON.readTree(r.metrics()), r.error(), r.seconds()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return outcomes;
    }

    @Override
    public Sampled sample(ResolvedRun run, TrainedModel model, RunProgress progress) {
        requireRunning(spark);
        long t0 = System.nanoTime();
        Path checkpoint = model.checkpoint();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(checkpoint);
        } catch (IOException e) {
            throw new UserError("cannot read the checkpoint " + checkpoint + ": " + e.getMessage());
        }
        Broadcast<byte[]> shared = spark.broadcast(bytes);
        try {
            int batches = ChainSampling.batches(run.sample());
            long perBatch = run.sampler().evaluations(run.grid());
            SampleTask task = new SampleTask(shared, run.rendered(), List.copyOf(plugins));
            spark.setJobGroup("score4j-sample", "score4j sampling: " + run.sample().count() + " chains in " + batches
                    + " batches", false);
            JavaFutureAction<List<SampleTask.Batch>> job = spark.parallelize(
                    IntStream.range(0, batches).boxed().toList(), batches).map(task::run).collectAsync();
            List<SampleTask.Batch> parts = await(job, (doneTasks) -> progress.progress("sample", doneTasks * perBatch,
                    perBatch * batches, null), "sampling");
            progress.progress("sample", perBatch * batches, perBatch * batches, null);
            INDArray[] arrays = parts.stream().map(b -> Nd4j.create(b.values(), b.shape(), 'c')).toArray(INDArray[]::new);
            SampleTask.Batch first = parts.get(0);
            List<INDArray> trajectory = java.util.Arrays.stream(first.snapshots())
                    .map(v -> Nd4j.create(v, first.snapshotShape(), 'c')).toList();
            return new Sampled(arrays.length == 1 ? arrays[0] : Nd4j.concat(0, arrays), trajectory,
                    (System.nanoTime() - t0) / 1e9);
        } finally {
            shared.destroy();
        }
    }

    @Override
    public TrainingResult train(ResolvedRun run, RunDirectory dir, Checkpoints.Loaded resume, RunProgress progress) {
        if (resume != null) {
            throw new UserError("--resume continues a run in this process; leave out --engine spark");
        }
        return new DataParallelTrainer(spark, List.copyOf(plugins), shards, averageEvery, run, progress).train(dir);
    }

    /** Waits for a job, reporting its finished tasks; a job Spark gave up on is a failed command, with its error. */
    static <T> T await(JavaFutureAction<T> job, java.util.function.LongConsumer finishedTasks, String what) {
        while (true) {
            try {
                return job.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                finishedTasks.accept(finished(job));
            } catch (ExecutionException e) {
                throw new UserError(what + " failed on Spark: " + firstLine(e.getCause() != null ? e.getCause() : e),
                        UserError.FAILED);
            } catch (InterruptedException e) {
                job.cancel(true);
                Thread.currentThread().interrupt();
                throw new UserError(what + " was interrupted", UserError.FAILED);
            }
        }
    }

    private static long finished(JavaFutureAction<?> job) {
        var tracker = org.apache.spark.SparkContext.getOrCreate().statusTracker();
        long n = 0;
        for (int id : job.jobIds()) {
            scala.Option<SparkJobInfo> info = tracker.getJobInfo(id);
            if (info.isDefined()) {
                for (int stage : info.get().stageIds()) {
                    scala.Option<SparkStageInfo> s = tracker.getStageInfo(stage);
                    if (s.isDefined()) {
                        n += s.get().numCompletedTasks();
                    }
                }
            }
        }
        return n;
    }

    /** The first line of an error and its causes' that says what went wrong, without Spark's stack trace. */
    static String firstLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    @Override
    public void close() {
        spark.stop();
        Nd4j.getEnvironment().setMaxThreads(nativeThreads);
        Nd4j.factory().blas().setMaxThreads(blasThreads);
    }
}
