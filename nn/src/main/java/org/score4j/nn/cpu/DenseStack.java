package org.score4j.nn.cpu;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Swish;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.score4j.nn.NativeArrays;

/**
 * The forward and backward passes of a stack of dense layers (swish hidden layers, identity output) as a handful of
 * ND4J operations per layer, on views of one flat parameter vector laid out as DL4J's dense layers lay it out (per
 * layer: W as [in, out] in Fortran order, then b). DL4J's layer API spends most of a small network's time in its own
 * machinery (workspaces, per-layer bookkeeping) and in slow matrix products; this does the arithmetic, with the
 * products in {@link MatrixProducts}.
 *
 * <p>Swish is built from its parts, z·sigmoid(z), and its derivative as s + a·(1 − s) with s = sigmoid(z) and
 * a = z·s: the fused derivative op overflows to NaN for inputs above ~44. Other activations use ND4J's own. With
 * {@link FusedKernels} the bias, the swish and its derivative are one pass each on the JVM instead; and where the
 * products run on oneDNN, inference adds the bias and the swish inside each product.
 */
public final class DenseStack {
    private final int[] widths;
    /** The widest layer's width. */
    private final int widest;
    private final MatrixProducts products;
    private final boolean fused;
    private final Scratch inference;
    private final Scratch training;
    private final Scratch backward;
    private final java.util.Map<Shape, OneDnnSwish> swishes = new java.util.HashMap<>();
    private org.bytedeco.dnnl.stream stream;
    /** The hidden activation, or null for swish. */
    private final IActivation activation;

    /**
     * @param activation hidden activation: swish, relu, softplus, tanh or elu
     * @param widths     input width, the hidden widths, then the output width
     */
    public DenseStack(String activation, int... widths) {
        this(MatrixProducts.best(), FusedKernels.available(), activation, widths);
    }

    /** @param fused whether to run the elementwise work as {@link FusedKernels} (which must be available) */
    public DenseStack(MatrixProducts products, boolean fused, String activation, int... widths) {
        this.products = products;
        this.fused = fused;
        if (widths.length < 2) {
            throw new IllegalArgumentException("need an input and an output width");
        }
        this.widths = widths.clone();
        this.widest = java.util.Arrays.stream(widths).max().getAsInt();
        this.inference = new Scratch(widths.length);
        this.training = new Scratch(widths.length);
        this.backward = new Scratch(widths.length);
        this.activation = switch (activation) {
            case "swish" -> null;
            case "relu" -> Activation.RELU.getActivationFunction();
            case "softplus" -> Activation.SOFTPLUS.getActivationFunction();
            case "tanh" -> Activation.TANH.getActivationFunction();
            case "elu" -> Activation.ELU.getActivationFunction();
            default -> throw new IllegalArgumentException("unknown activation " + activation);
        };
    }

    /** oneDNN's swish for [rows, columns], kept per shape. */
    private OneDnnSwish swish(int rows, int columns) {
        if (stream == null) {
            stream = new org.bytedeco.dnnl.stream(OneDnn.engine());
        }
        if (swishes.size() > 16) {
            swishes.clear();
        }
        return swishes.computeIfAbsent(new Shape(rows, columns), k -> new OneDnnSwish(stream, rows, columns));
    }

    /** Number of parameters. */
    public long size() {
        long n = 0;
        for (int l = 0; l + 1 < widths.length; l++) {
            n += (long) widths[l] * widths[l + 1] + widths[l + 1];
        }
        return n;
    }

    /** Weights and biases of each layer as views of {@code flat} (parameters, or a gradient of the same layout). */
    public Views views(INDArray flat) {
        INDArray vector = flat.reshape(flat.length());
        List<INDArray> weights = new ArrayList<>();
        List<INDArray> biases = new ArrayList<>();
        long at = 0;
        for (int l = 0; l + 1 < widths.length; l++) {
            long w = (long) widths[l] * widths[l + 1];
            weights.add(vector.get(NDArrayIndex.interval(at, at + w)).reshape('f', widths[l], widths[l + 1]));
            at += w;
            biases.add(vector.get(NDArrayIndex.interval(at, at + widths[l + 1])).reshape(widths[l + 1]));
            at += widths[l + 1];
        }
        return new Views(weights, biases);
    }

    /** Per-layer views of one flat vector. */
    public record Views(List<INDArray> weights, List<INDArray> biases) {
    }

    /**
     * What the backward pass needs from a forward pass: each layer's input, and for each hidden layer its sigmoid
     * (swish without oneDNN) or its pre-activation (swish with oneDNN, other activations).
     */
    public static final class Trace {
        private final List<INDArray> inputs = new ArrayList<>();
        private final List<INDArray> hidden = new ArrayList<>();
    }

    /**
     * The output for {@code input} [N, in] (float, c order); a view of a work array that the next forward pass
     * overwrites.
     *
     * @param trace filled for {@link #backward}, or null for inference
     */
    public INDArray forward(Views p, INDArray input, Trace trace) {
        return small(input.size(0)) ? OneDnn.onOneThread(() -> forwardPass(p, input, trace))
                : forwardPass(p, input, trace);
    }

    /**
     * Whether a pass over {@code rows} rows is small enough to run oneDNN's primitives on one thread: at most
     * {@link #SMALL} values in the widest layer's activations (a batch of 512 at width 128).
     */
    private boolean small(long rows) {
        return products.fusesActivation() && rows * widest <= SMALL;
    }

    private static final long SMALL = 1 << 16;

    private INDArray forwardPass(Views p, INDArray input, Trace trace) {
        Scratch scratch = trace != null ? training : inference;
        int n = (int) input.size(0);
        INDArray h = input;
        int last = widths.length - 2;
        for (int l = 0; l <= last; l++) {
            if (products.fusesActivation() && (activation == null || l == last)) {
                INDArray z = products.forward(h, p.weights().get(l), p.biases().get(l),
                        scratch.get(Work.Z, l, n, widths[l + 1]), trace == null && l < last);
                if (trace != null) {
                    trace.inputs.add(h);
                }
                if (trace == null || l == last) {
                    h = z;
                    continue;
                }
                INDArray a = scratch.get(Work.A, l, n, widths[l + 1]);
                swish(n, widths[l + 1]).forward(NativeArrays.pointer(z), NativeArrays.pointer(a));
                trace.hidden.add(z);
                h = a;
                continue;
            }
            INDArray z = products.forward(h, p.weights().get(l), scratch.get(Work.Z, l, n, widths[l + 1]));
            if (trace != null) {
                trace.inputs.add(h);
            }
            if (fused && l == last) {
                FusedKernels.bias(z, p.biases().get(l));
                h = z;
                continue;
            }
            if (fused && activation == null) {
                INDArray s = trace == null ? null : scratch.get(Work.S, l, n, widths[l + 1]);
                FusedKernels.biasSwish(z, p.biases().get(l), s);
                if (trace != null) {
                    trace.hidden.add(s);
                }
                h = z;
                continue;
            }
            z.addiRowVector(p.biases().get(l));
            if (l < last && activation == null && trace == null) {
                // One pass: nothing needs the sigmoid afterwards.
                h = Nd4j.exec(new Swish(z, z));
            } else if (l < last && activation == null) {
                INDArray s = scratch.get(Work.S, l, n, widths[l + 1]);
                Nd4j.exec(new Sigmoid(z, s));
                h = z.muli(s);
                trace.hidden.add(s);
            } else if (l < last) {
                if (trace != null) {
                    trace.hidden.add(scratch.get(Work.PRE, l, n, widths[l + 1]).assign(z));
                }
                h = activation.getActivation(z, trace != null);
            } else {
                h = z;
            }
        }
        return h;
    }

    /**
     * Writes ∂L/∂parameters into {@code gradient} (every value overwritten) given ∂L/∂output {@code g} [N, out] for the
     * forward pass recorded in {@code trace}.
     */
    public void backward(Views p, Trace trace, INDArray g, Views gradient) {
        back(p, trace, g, gradient, false);
    }

    /**
     * ∂L/∂input [N, in] given ∂L/∂output {@code g} [N, out] for the forward pass recorded in {@code trace}, without the
     * parameter gradients; a work array that the next backward pass overwrites.
     */
    public INDArray inputGradient(Views p, Trace trace, INDArray g) {
        return back(p, trace, g, null, true);
    }

    private INDArray back(Views p, Trace trace, INDArray g, Views gradient, boolean input) {
        return small(g.size(0)) ? OneDnn.onOneThread(() -> backwardPass(p, trace, g, gradient, input))
                : backwardPass(p, trace, g, gradient, input);
    }

    /** The parameter gradients into {@code gradient} unless null; returns the input gradient if {@code input}. */
    private INDArray backwardPass(Views p, Trace trace, INDArray g, Views gradient, boolean input) {
        INDArray delta = g.castTo(DataType.FLOAT);
        int n = (int) delta.size(0);
        for (int l = widths.length - 2; l >= 0; l--) {
            INDArray in = trace.inputs.get(l);
            if (gradient != null) {
                products.weightGradient(in, delta, gradient.weights().get(l));
                products.biasGradient(delta, gradient.biases().get(l));
            }
            if (l == 0) {
                return input ? products.backward(delta, p.weights().get(0), backward.get(Work.BACK, 0, n, widths[0])) : null;
            }
            INDArray back = products.backward(delta, p.weights().get(l), backward.get(Work.BACK, l, n, widths[l]));
            if (activation == null && products.fusesActivation()) {
                // In place: one array less to bring into the cache.
                swish(n, widths[l]).backward(NativeArrays.pointer(trace.hidden.get(l - 1)), NativeArrays.pointer(back),
                        NativeArrays.pointer(back));
                delta = back;
            } else if (activation == null && fused) {
                FusedKernels.swishBackward(back, trace.hidden.get(l - 1), in);
                delta = back;
            } else if (activation == null) {
                // in is the previous layer's swish output a = z·s: swish'(z) = s + a·(1 − s).
                INDArray s = trace.hidden.get(l - 1);
                INDArray slope = s.rsub(1, backward.get(Work.SLOPE, l, n, widths[l])).muli(in).addi(s);
                delta = back.muli(slope);
            } else {
                delta = activation.backprop(trace.hidden.get(l - 1), back).getFirst();
            }
        }
        return null;
    }

    /** A matrix shape, the key of the primitives kept per shape. */
    private record Shape(int rows, int columns) {
    }

    /** What a work array holds, per layer: pre-activations, activations, sigmoids, ..., gradients, slopes. */
    private enum Work {
        Z, A, S, PRE, BACK, SLOPE
    }

    /**
     * Work arrays kept from call to call while the batch size stays the same, by kind and layer: fresh
     * multi-megabyte arrays for every layer cost page faults and zeroing that took twice as long as the arithmetic
     * (10 000 rows of 128).
     */
    private static final class Scratch {
        private final INDArray[][] arrays;

        Scratch(int layers) {
            arrays = new INDArray[Work.values().length][layers];
        }

        INDArray get(Work kind, int layer, long rows, long columns) {
            INDArray a = arrays[kind.ordinal()][layer];
            if (a == null || a.size(0) != rows || a.size(1) != columns) {
                a = Nd4j.createUninitialized(DataType.FLOAT, rows, columns);
                arrays[kind.ordinal()][layer] = a;
            }
            return a;
        }
    }

    /** Floating-point operations of one forward pass per example, two per multiply–add. */
    public long forwardFlops() {
        long flops = 0;
        for (int l = 0; l + 1 < widths.length; l++) {
            flops += 2L * widths[l] * widths[l + 1];
        }
        return flops;
    }
}
