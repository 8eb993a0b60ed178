package org.score4j.runner.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.Objective;
import org.score4j.api.ScoreModel;
import org.score4j.api.random.SeededRandom;
import org.score4j.core.app.Application;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.plugins.Catalog;
import org.score4j.core.training.Models;
import org.score4j.core.training.TrainingState;
import org.score4j.nn.NativeArrays;
import org.score4j.nn.cpu.MatrixProducts;
import org.score4j.nn.cpu.OneDnn;
import org.score4j.nn.cpu.OneDnnSwish;

/**
 * Where the time of the bench's MLP training step goes (docs/speed.md, "Where an MLP training step goes"): the whole step
 * as {@code mlp-train-256}/{@code mlp-train-4096} time it, and apart: the data and the objective's preparation and loss
 * on the JVM, the model's forward pass, its backward pass, the optimizer step (Adam, clipping, the moving average),
 * and, for the floor, the same matrix products alone (oneDNN, the layer shapes, on one thread where the model runs
 * them on one) and the swish passes alone, all together and then each on its own. Not a test: it runs only when
 * asked, with the launcher's thread settings:
 * <pre>
 * GOMP_SPINCOUNT=10000 mvn -pl runner surefire:test -Dtest=MlpStepBreakdown -Dscore4j.bench=true -Dscore4j.threads=1
 * </pre>
 */
class MlpStepBreakdown {
    private static final int[] WIDTHS = {11, 128, 128, 128, 2};

    @Test
    void breakdown() {
        assumeTrue(Boolean.getBoolean("score4j.bench"), "a benchmark: run with -Dscore4j.bench=true");
        int threads = Integer.getInteger("score4j.threads", 0);
        Nd4j.getBackend();
        if (threads > 0) {
            // Surefire sets OMP_NUM_THREADS for every test; this is what the worker's environment would do.
            org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
            Nd4j.getEnvironment().setMaxThreads(threads);
        }
        int inForce = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        Application app = new Application(Catalog.discover(null));
        for (int n : new int[] {256, 4096}) {
            ResolvedRun run = app.resolve(ConfigFactory.parseString("train.batch-size = " + n));
            ScoreModel model = Models.build(run, Models.spec(run, Models.dataScale(run)));
            Runnable whole = BenchWorker.trainingStep(run, model);
            TrainingState state = TrainingState.fresh(model.parameters(), run.optimizer(), run.train().emaRate() > 0);
            INDArray gradient = Nd4j.create(DataType.FLOAT, state.size());
            long[] t = {0};
            INDArray data = run.data().sample(n, new SeededRandom(1));
            Objective.Batch batch = run.objective().prepare(data, run.schedule(), new SeededRandom(2));
            INDArray scores = model.forward(batch.inputs(), batch.sigmas(), null).scores().dup();
            INDArray scoreGradient = batch.loss(scores).scoreGradient().dup();
            Map<String, Runnable> parts = new LinkedHashMap<>();
            parts.put("whole step", whole);
            parts.put("data + objective (prepare, loss)", () -> {
                Objective.Batch b = run.objective().prepare(run.data().sample(n, new SeededRandom(++t[0])),
                        run.schedule(), new SeededRandom(t[0]));
                b.loss(scores).perExample().toDoubleVector();
            });
            parts.put("forward (training pass)", () -> model.forward(batch.inputs(), batch.sigmas(), null));
            parts.put("forward + backward", () -> model.forward(batch.inputs(), batch.sigmas(), null)
                    .backward(scoreGradient, gradient));
            parts.put("optimizer (norm, clip, Adam, average)", () -> state.apply(gradient, n, run.optimizer(),
                    run.lrSchedule(), Long.MAX_VALUE, run.train().clipNorm(), run.train().emaRate()));
            // As the model runs them: on one thread up to 65 536 values in a layer (oneDNN fixes a primitive's
            // threads when it is created, so each variant has its own).
            boolean oneThread = (long) n * 128 <= 1 << 16;
            Products products = new Products(n);
            Products swishes = new Products(n);
            parts.put("matrix products alone (fwd, weight and bias grads, input grads)",
                    () -> asTheModel(oneThread, () -> products.run(true)));
            parts.put("swish passes alone (3 forward, 3 backward)", () -> asTheModel(oneThread, () -> swishes.run(false)));
            int calls = n == 256 ? 3000 : 300;
            time(parts, calls, n, inForce);
            // Each product and swish pass alone (docs/speed.md, the per-product table).
            Map<String, Runnable> each = new LinkedHashMap<>();
            products.each(each);
            each.replaceAll((name, part) -> () -> asTheModel(oneThread, () -> {
                part.run();
                return null;
            }));
            time(each, calls, n, inForce);
        }
    }

    /** Prints the median and least of 5 timings (after 2 untimed) of {@code calls} calls of each part, µs a call. */
    private static void time(Map<String, Runnable> parts, int calls, int n, int inForce) {
        for (Map.Entry<String, Runnable> e : parts.entrySet()) {
            List<Double> us = new ArrayList<>();
            for (int repeat = 0; repeat < 7; repeat++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    e.getValue().run();
                }
                us.add((System.nanoTime() - t0) / 1e3 / calls);
            }
            List<Double> timed = us.subList(2, us.size()).stream().sorted().toList();
            System.out.printf(Locale.ROOT, "batch %4d, %d thread(s): %-66s %8.1f µs (min %.1f)%n", n,
                    inForce, e.getKey(),
                    timed.get(timed.size() / 2), timed.get(0));
        }
    }

    private static void asTheModel(boolean oneThread, java.util.function.Supplier<Void> work) {
        if (oneThread) {
            OneDnn.onOneThread(work);
        } else {
            work.get();
        }
    }

    /** The products and swish passes of one training step of the 11-128-128-128-2 network, on their own arrays. */
    private static final class Products {
        private final MatrixProducts products = MatrixProducts.best();
        private final int n;
        private final List<INDArray> w = new ArrayList<>();
        private final List<INDArray> b = new ArrayList<>();
        private final List<INDArray> gw = new ArrayList<>();
        private final List<INDArray> gb = new ArrayList<>();
        private final List<INDArray> h = new ArrayList<>();
        private final List<INDArray> z = new ArrayList<>();
        private final List<INDArray> back = new ArrayList<>();
        private final List<OneDnnSwish> swish = new ArrayList<>();

        Products(int n) {
            this.n = n;
            org.bytedeco.dnnl.stream stream = new org.bytedeco.dnnl.stream(OneDnn.engine());
            for (int l = 0; l + 1 < WIDTHS.length; l++) {
                w.add(Nd4j.rand(DataType.FLOAT, (long) WIDTHS[l] * WIDTHS[l + 1]).reshape('f', WIDTHS[l], WIDTHS[l + 1]));
                b.add(Nd4j.rand(DataType.FLOAT, WIDTHS[l + 1]));
                gw.add(Nd4j.create(DataType.FLOAT, (long) WIDTHS[l] * WIDTHS[l + 1]).reshape('f', WIDTHS[l],
                        WIDTHS[l + 1]));
                gb.add(Nd4j.create(DataType.FLOAT, WIDTHS[l + 1]));
                h.add(Nd4j.rand(DataType.FLOAT, n, WIDTHS[l]));
                z.add(Nd4j.create(DataType.FLOAT, n, WIDTHS[l + 1]));
                back.add(Nd4j.create(DataType.FLOAT, n, WIDTHS[l]));
                swish.add(new OneDnnSwish(stream, n, WIDTHS[l + 1]));
            }
        }

        /** Each product of each layer, and the first hidden layer's swish passes, as parts of their own. */
        void each(Map<String, Runnable> parts) {
            for (int l = 0; l + 1 < WIDTHS.length; l++) {
                int k = l;
                String layer = "layer " + WIDTHS[l] + " -> " + WIDTHS[l + 1] + " (" + l + "): ";
                parts.put(layer + "forward", () -> products.forward(h.get(k), w.get(k), b.get(k), z.get(k), false));
                parts.put(layer + "weight gradient", () -> products.weightGradient(h.get(k), z.get(k), gw.get(k)));
                parts.put(layer + "bias gradient", () -> products.biasGradient(z.get(k), gb.get(k)));
                if (l > 0) {
                    parts.put(layer + "input gradient", () -> products.backward(z.get(k), w.get(k), back.get(k)));
                }
            }
            parts.put("swish forward (one layer)",
                    () -> swish.get(0).forward(NativeArrays.pointer(z.get(0)), NativeArrays.pointer(back.get(1))));
            parts.put("swish backward (one layer)", () -> swish.get(0).backward(NativeArrays.pointer(z.get(0)),
                    NativeArrays.pointer(back.get(1)), NativeArrays.pointer(back.get(1))));
        }

        Void run(boolean matmuls) {
            int layers = WIDTHS.length - 1;
            for (int l = 0; l < layers; l++) {
                if (matmuls) {
                    products.forward(h.get(l), w.get(l), b.get(l), z.get(l), false);
                } else if (l + 1 < layers) {
                    swish.get(l).forward(NativeArrays.pointer(z.get(l)), NativeArrays.pointer(z.get(l)));
                }
            }
            for (int l = layers - 1; l >= 0; l--) {
                if (matmuls) {
                    products.weightGradient(h.get(l), z.get(l), gw.get(l));
                    products.biasGradient(z.get(l), gb.get(l));
                    if (l > 0) {
                        products.backward(z.get(l), w.get(l), back.get(l));
                    }
                } else if (l > 0) {
                    swish.get(l - 1).backward(NativeArrays.pointer(z.get(l - 1)), NativeArrays.pointer(back.get(l)),
                            NativeArrays.pointer(back.get(l)));
                }
            }
            return null;
        }
    }
}
