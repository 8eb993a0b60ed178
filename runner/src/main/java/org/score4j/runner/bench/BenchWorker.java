package org.score4j.runner.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.Sampler;
import org.score4j.api.ScoreModel;
import org.score4j.api.StepListener;
import org.score4j.api.tensors.ShapeInfoCache;
import org.score4j.core.app.Application;
import org.score4j.core.config.ComponentSlot;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.plugins.Catalog;
import org.score4j.core.sampling.ChainSampling;
import org.score4j.core.training.Models;
import org.score4j.core.training.TrainingState;
import org.score4j.core.training.TrainingStep;

/**
 * Runs one workload in this JVM and prints one line, {@code BENCH-RESULT {json}}: the rate of each timed repeat, the
 * memory high-water marks, the model's FLOPs per item, the 1024³ sgemm rate of this process's BLAS and of oneDNN, what
 * this process runs on (its BLAS and the kernels it chose, the thread variables in force), and the same workload as a
 * specification for the PyTorch peer. {@code score4j bench} starts one worker process per workload and round, so each
 * peak belongs to one workload.
 */
public final class BenchWorker {
    static final String PREFIX = "BENCH-RESULT ";
    /** The least warm-up time of a workload, on both sides, unless {@code --warmup} says otherwise. */
    static final double WARMUP_SECONDS = 3;

    private BenchWorker() {
    }

    /** Arguments: workload name, repeats, threads, plugin directory, least warm-up seconds. */
    public static void main(String[] args) throws IOException {
        ShapeInfoCache.install();
        PrintStream out = System.out;
        // SameDiff writes to standard output; keep it for the result line alone.
        System.setOut(System.err);
        Workload workload = Workload.named(List.of(args[0])).get(0);
        int repeats = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        Application app = new Application(Catalog.discover(Path.of(args[3])));
        double warmupSeconds = Double.parseDouble(args[4]);
        Map<String, Object> result = measure(app.resolve(ConfigFactory.parseString(workload.config())), workload,
                repeats, threads, warmupSeconds);
        out.println(PREFIX + new ObjectMapper().writeValueAsString(result));
        out.flush();
    }

    static Map<String, Object> measure(ResolvedRun run, Workload workload, int repeats, int threads,
                                       double warmupSeconds) {
        double scale = Models.dataScale(run);
        ScoreModel model = Models.build(run, Models.spec(run, scale));
        Runnable one = workload.task() == Workload.Task.TRAIN ? trainingStep(run, model) : samplingRun(run, model);
        long items = workload.stepsPerRepeat() * (workload.task() == Workload.Task.TRAIN ? (long) run.train().batchSize()
                : (long) run.sample().count() * run.sampler().evaluations(run.grid()));
        Runnable block = () -> repeat(one, workload.stepsPerRepeat());
        long baseline = MemoryReadings.rssKib("VmRSS");
        WarmUp.Done warmed = WarmUp.onTheSystemClock().run(one, workload.warmup(), warmupSeconds);
        long offHeapPeak = Pointer.totalBytes();
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            long started = System.nanoTime();
            block.run();
            rates.add(items / ((System.nanoTime() - started) / 1e9));
            offHeapPeak = Math.max(offHeapPeak, Pointer.totalBytes());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rates", rates);
        m.put("warmup_runs", warmed.runs());
        m.put("warmup_seconds_taken", warmed.seconds());
        m.put("flops_per_item", model.forwardFlops().isPresent()
                ? model.forwardFlops().getAsLong() * (workload.task() == Workload.Task.TRAIN ? 3 : 1) : null);
        m.put("peak_rss_kib", MemoryReadings.rssKib("VmHWM"));
        m.put("baseline_rss_kib", baseline);
        m.put("heap_peak_bytes", heapPeak());
        m.put("offheap_peak_bytes", offHeapPeak);
        m.put("matmul_flops", matmulPeak());
        m.put("onednn_matmul_flops", OneDnnPeak.flops());
        m.put("threads", threads);
        m.put("system", BenchSystem.score4jSide());
        m.put("peer", peerSpec(run, workload, scale, repeats, threads, warmupSeconds));
        return m;
    }

    /**
     * One training step as the trainer takes it: parameters in, gradient, the optimizer's fused update (also what
     * {@code MlpStepBreakdown} times whole).
     */
    static Runnable trainingStep(ResolvedRun run, ScoreModel model) {
        TrainingStep step = new TrainingStep(run);
        TrainingState state = TrainingState.fresh(model.parameters(), run.optimizer(), run.train().emaRate() > 0);
        INDArray gradient = Nd4j.create(DataType.FLOAT, state.size());
        long[] t = {0};
        return () -> {
            model.setParameters(state.parameters());
            TrainingStep.Computed c = step.compute(model, ++t[0], 0, 1, gradient);
            state.apply(gradient, c.examples(), run.optimizer(), run.lrSchedule(), Long.MAX_VALUE,
                    run.train().clipNorm(), run.train().emaRate());
        };
    }

    /** One whole sampling run of the workload's chains. */
    private static Runnable samplingRun(ResolvedRun run, ScoreModel model) {
        ChainSampling chains = new ChainSampling(model, run.sampler(), run.grid(), run.sample(), run.seed(),
                run.data().exampleShape());
        return () -> chains.run(b -> StepListener.NONE);
    }

    private static void repeat(Runnable r, int times) {
        for (int i = 0; i < times; i++) {
            r.run();
        }
    }

    private static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** The best of ten 1024³ single-precision matrix products through ND4J's BLAS (OpenBLAS), in FLOP/s. */
    static double matmulPeak() {
        int n = 1024;
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 13; i++) {
            long t = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            c.getFloat(0);
            if (i >= 3) {
                best = Math.min(best, (System.nanoTime() - t) / 1e9);
            }
        }
        return 2.0 * n * n * n / best;
    }

    /** The same workload for the PyTorch peer (torch_peer.py): architecture, levels, batch, sampler settings. */
    private static Map<String, Object> peerSpec(ResolvedRun run, Workload workload, double scale, int repeats,
                                                int threads, double warmupSeconds) {
        Config c = run.resolved();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("task", workload.task() == Workload.Task.TRAIN ? "train" : "sample");
        String model = run.name(ComponentSlot.MODEL);
        long[] shape = run.data().exampleShape();
        p.put("shape", shape);
        p.put("dimension", Arrays.stream(shape).reduce(1, (a, b) -> a * b));
        p.put("data", run.name(ComponentSlot.DATA));
        p.put("data_scale", scale);
        p.put("embedding", c.getInt("model.embedding"));
        if (model.equals("ncsn-mlp")) {
            p.put("model", "mlp");
            p.put("hidden", c.getInt("model.hidden"));
            p.put("layers", c.getInt("model.layers"));
        } else if (model.equals("ncsn-unet")) {
            p.put("model", "unet");
            p.put("channels", c.getInt("model.channels"));
            p.put("multipliers", c.getIntList("model.multipliers"));
            p.put("blocks", c.getInt("model.blocks"));
        } else {
            throw new IllegalStateException("no PyTorch peer for model " + model);
        }
        p.put("sigmas", run.schedule().sigmas());
        p.put("batch", run.train().batchSize());
        p.put("learning_rate", run.optimizer().learningRate());
        p.put("ema_rate", run.train().emaRate());
        p.put("chains", run.sample().count());
        p.put("start", run.sample().start().resolve(run.sampler()) == Sampler.Start.PRIOR ? "prior" : "box");
        p.put("low", run.sample().low());
        p.put("high", run.sample().high());
        p.put("grid", run.grid().sigmas());
        String sampler = run.name(ComponentSlot.SAMPLER);
        p.put("sampler", sampler);
        switch (sampler) {
            case "annealed-langevin" -> {
                p.put("step_size", c.getDouble("sampler.step-size"));
                p.put("steps_per_level", c.getInt("sampler.steps-per-level"));
            }
            case "edm" -> {
                p.put("s_churn", c.getDouble("sampler.s-churn"));
                p.put("s_tmin", c.getDouble("sampler.s-tmin"));
                p.put("s_tmax", c.getDouble("sampler.s-tmax"));
                p.put("s_noise", c.getDouble("sampler.s-noise"));
            }
            case "probability-flow" -> p.put("solver", c.getString("sampler.solver"));
            default -> {
                if (workload.task() == Workload.Task.SAMPLE) {
                    throw new IllegalStateException("no PyTorch peer for sampler " + sampler);
                }
            }
        }
        p.put("evaluations", run.sampler().evaluations(run.grid()));
        p.put("steps", workload.stepsPerRepeat());
        p.put("warmup", workload.warmup());
        p.put("warmup_seconds", warmupSeconds);
        p.put("repeats", repeats);
        p.put("threads", threads);
        p.put("seed", run.seed());
        return p;
    }

    /** Resident-memory readings of this process from /proc (Linux); -1 elsewhere. */
    static final class MemoryReadings {
        private MemoryReadings() {
        }

        static long rssKib(String field) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith(field + ":")) {
                        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                    }
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
            return -1;
        }
    }
}
