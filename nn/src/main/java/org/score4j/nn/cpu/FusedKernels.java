package org.score4j.nn.cpu;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.nn.NativeArrays;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Whether the dense layers and the optimizer step run their elementwise work as fused passes on the JVM
 * ({@link VectorKernels}) rather than as ND4J operations, and those passes on ND4J arrays. They do on the CPU backend
 * when the JVM has the {@code jdk.incubator.vector} module ({@code --add-modules jdk.incubator.vector}, which the
 * {@code score4j} launcher passes); elsewhere the models use ND4J's operations, with the same results up to float
 * rounding.
 */
public final class FusedKernels {
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && Nd4j.getEnvironment().isCPU();

    private FusedKernels() {
    }

    /** Whether this JVM and backend run the fused passes. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** z ← swish(z + b) row by row, and s ← sigmoid(z + b) unless {@code s} is null; z [N, out] in C order. */
    public static void biasSwish(INDArray z, INDArray bias, INDArray s) {
        ByteBuffer zb = NativeArrays.bytes(z);
        ByteBuffer bb = NativeArrays.bytes(bias);
        ByteBuffer sb = s == null ? null : NativeArrays.bytes(s);
        int columns = (int) z.size(1);
        inParts((int) z.size(0), columns, (from, to) -> VectorKernels.biasSwish(zb, bb, sb, from, to, columns));
    }

    /** z ← z + b row by row; z [N, out] in C order. */
    public static void bias(INDArray z, INDArray bias) {
        VectorKernels.bias(NativeArrays.bytes(z), NativeArrays.bytes(bias), (int) z.size(0), (int) z.size(1));
    }

    /** g ← g·(s + a·(1 − s)): the swish derivative from the sigmoid s and the output a, elementwise. */
    public static void swishBackward(INDArray g, INDArray s, INDArray a) {
        ByteBuffer gb = NativeArrays.bytes(g);
        ByteBuffer sb = NativeArrays.bytes(s);
        ByteBuffer ab = NativeArrays.bytes(a);
        int columns = (int) g.size(1);
        inParts((int) g.size(0), columns,
                (from, to) -> VectorKernels.swishBackward(gb, from * columns, sb, from * columns, ab, from * columns,
                        (to - from) * columns));
    }

    /**
     * Runs {@code part} on row ranges that split [0, rows): on as many threads as ND4J may use (OMP_NUM_THREADS), for
     * arrays large enough to pay for the hand-over (a few µs). Each element sees the same arithmetic whatever the
     * split, so the result does not depend on the thread count.
     */
    public static void inParts(int rows, int columns, RowRange part) {
        int parts = (int) Math.min(threads(), (long) rows * columns / MIN_PART);
        inWorkers(rows, Math.max(1, parts), (worker, from, to) -> part.run(from, to));
    }

    /** How many threads the passes may use: ND4J's native thread count (OMP_NUM_THREADS), at most the cores. */
    public static int threads() {
        return Math.max(1, Math.min(limit, Math.min(Nd4j.getEnvironment().maxThreads(), HELPERS + 1)));
    }

    private static volatile int limit = Integer.MAX_VALUE;

    /**
     * Caps {@link #threads()}, for tests that compare thread counts in one JVM: DL4J 1.0.0-M2.1's
     * {@code Environment.setMaxThreads} does not change the count it reports, which follows OMP_NUM_THREADS at start.
     */
    public static void limitThreads(int threads) {
        limit = threads;
    }

    /**
     * Runs {@code part} on {@code workers} contiguous ranges that split [0, tasks), range k on a thread of its own with
     * worker index k (the caller's thread runs range 0), and returns when all are done.
     */
    public static void inWorkers(int tasks, int workers, WorkerRange part) {
        int parts = Math.min(workers, tasks);
        if (parts <= 1) {
            part.run(0, 0, tasks);
            return;
        }
        List<Future<?>> running = new ArrayList<>(parts - 1);
        for (int k = 1; k < parts; k++) {
            int worker = k;
            int from = (int) ((long) tasks * k / parts);
            int to = (int) ((long) tasks * (k + 1) / parts);
            running.add(Helpers.POOL.submit(() -> part.run(worker, from, to)));
        }
        part.run(0, 0, tasks / parts);
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted in a fused kernel", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a fused kernel failed", e.getCause());
            }
        }
    }

    @FunctionalInterface
    public interface RowRange {
        void run(int fromRow, int toRow);
    }

    @FunctionalInterface
    public interface WorkerRange {
        void run(int worker, int from, int to);
    }

    /** Elements per part below which splitting costs more than it saves. */
    private static final int MIN_PART = 1 << 15;
    private static final int HELPERS = Math.max(0, Runtime.getRuntime().availableProcessors() - 1);

    /** The helper threads, started on first use: daemons, so they never keep the JVM alive. */
    private static final class Helpers {
        private static final ExecutorService POOL = Executors.newFixedThreadPool(Math.max(1, HELPERS), r -> {
            Thread t = new Thread(r, "score4j-kernels");
            t.setDaemon(true);
            return t;
        });
    }

    /** ‖x‖₂ of a dense float array: one fused pass where available, else ND4J's norm. */
    public static double norm(INDArray x) {
        return AVAILABLE ? Math.sqrt(VectorKernels.sumOfSquares(NativeArrays.bytes(x), (int) x.length()))
                : x.norm2Number().doubleValue();
    }

    /**
     * An Adam step on elements [from, to) of the flat parameters with the flat gradient times {@code scale}; the
     * moments {@code m} and {@code v} cover exactly that range. {@code decay} multiplies θ first (AdamW's decoupled
     * weight decay, 1 − lr·λ; 1 for Adam).
     */
    public static void adam(INDArray parameters, INDArray gradient, INDArray m, INDArray v, long from, long to, double scale,
                     double alpha, double beta1, double beta2, double epsilon, double decay) {
        if (!AVAILABLE) {
            adamWithNd4j(parameters, gradient, m, v, from, to, scale, alpha, beta1, beta2, epsilon, decay);
            return;
        }
        VectorKernels.adam(NativeArrays.bytes(parameters), NativeArrays.bytes(gradient), NativeArrays.bytes(m),
                NativeArrays.bytes(v), (int) from, (int) to, (float) scale, (float) alpha, (float) beta1,
                (float) (1 - beta1), (float) beta2, (float) (1 - beta2), (float) epsilon, (float) decay);
    }

    /** {@link #adam} as ND4J operations: the path without the vector API, and the tests' reference. */
    static void adamWithNd4j(INDArray parameters, INDArray gradient, INDArray m, INDArray v, long from, long to,
                             double scale, double alpha, double beta1, double beta2, double epsilon, double decay) {
        INDArray theta = parameters.reshape(parameters.length()).get(NDArrayIndex.interval(from, to));
        INDArray g = gradient.reshape(gradient.length()).get(NDArrayIndex.interval(from, to)).mul(scale);
        INDArray mf = m.reshape(m.length());
        INDArray vf = v.reshape(v.length());
        mf.muli(beta1).addi(g.mul(1 - beta1));
        vf.muli(beta2).addi(g.mul(g).muli(1 - beta2));
        if (decay != 1) {
            theta.muli(decay);
        }
        theta.subi(mf.div(Transforms.sqrt(vf).addi(epsilon)).muli(alpha));
    }

    /**
     * One step of SGD with momentum on whole flat vectors: b ← μ·b + g·scale, θ ← decay·θ − lr·b (Nesterov:
     * θ ← decay·θ − lr·(g·scale + μ·b)).
     */
    public static void sgd(INDArray parameters, INDArray gradient, INDArray buffer, double scale, double lr,
                           double momentum, boolean nesterov, double decay) {
        if (AVAILABLE) {
            VectorKernels.sgd(NativeArrays.bytes(parameters), NativeArrays.bytes(gradient), NativeArrays.bytes(buffer),
                    (int) parameters.length(), (float) scale, (float) lr, (float) momentum, nesterov, (float) decay);
            return;
        }
        INDArray g = gradient.mul(scale);
        buffer.muli(momentum).addi(g);
        INDArray step = nesterov ? g.addi(buffer.mul(momentum)) : buffer.dup();
        if (decay != 1) {
            parameters.muli(decay);
        }
        parameters.subi(step.muli(lr));
    }

    /** average ← r·average + (1 − r)·parameters. */
    public static void movingAverage(INDArray average, INDArray parameters, double r) {
        if (!AVAILABLE) {
            average.muli(r).addi(parameters.mul(1 - r));
            return;
        }
        VectorKernels.movingAverage(NativeArrays.bytes(average), NativeArrays.bytes(parameters), (int) average.length(),
                (float) r, (float) (1 - r));
    }
}
