package org.score4j.models.ncsn;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.Tensors;

/**
 * The U-Net of {@link NcsnUnet} computed on the JVM and OpenBLAS: convolutions as im2col + sgemm on the padded
 * channel-major layout of {@link Planes}, everything elementwise as fused passes ({@link PlanarKernels}), and every
 * work array allocated once per batch size and reused. The same network as {@link UnetGraph} (tested against it),
 * 2–4× faster than SameDiff's convolutions on 2 cores and without their per-step garbage.
 */
final class DirectUnet implements UnetNetwork {
    /** Target size of one im2col block, in floats: small enough to stay in cache between copy and product. */
    private static final int BLOCK_FLOATS = 1 << 18;
    /** Parts a weight gradient is summed in; fixed, so that the sum does not depend on the thread count. */
    private static final int GROUPS = 4;

    private record Conv(long weights, long bias, int in, int out, int k, int stride) {
        int taps() {
            return k * k * in;
        }
    }

    private record Dense(long weights, long bias, int in, int out) {
    }

    private record Block(String name, int level, Conv conv1, Dense sigma, Conv conv2, Conv skip) {
    }

    private final UnetArchitecture architecture;
    private final UnetParameters parameters = new UnetParameters();
    private final int imageChannels;
    private final Planes.Geometry[] geometries;
    private final float[][] masks;
    private final Dense sigma;
    private final Conv in;
    private final List<List<Block>> down = new ArrayList<>();
    private final List<Conv> downsample = new ArrayList<>();
    private final Block middle;
    private final Block[] up;
    private final Conv[] upsample;
    private final Conv out;
    private long flops;

    private INDArray theta;
    private FloatPointer thetaPointer;
    private FloatBuffer thetaValues;

    private int batch = -1;
    private final Map<String, Planes> work = new HashMap<>();
    private int threads = 1;
    /** Each worker's im2col block. */
    private final FloatPointer[] columns = new FloatPointer[Runtime.getRuntime().availableProcessors()];
    private long columnCapacity;
    /** Each group's part of a weight gradient. */
    private final FloatPointer[] partials = new FloatPointer[GROUPS];
    private int partialCapacity;
    private FloatPointer flippedWeights;

    /** What a forward pass keeps for the backward pass. */
    private final Map<Block, Planes> blockInputs = new HashMap<>();
    private Planes input;
    private Planes[] skips;
    private Planes[] upsampled;
    private float[] features;
    private float[] embeddingPre;
    private float[] embedding;
    private float[] embeddingGradient;

    /** Whether this JVM and backend can run it: the vector API and OpenBLAS on the CPU backend. */
    static boolean usable() {
        return FusedKernels.available() && MatrixProducts.directAvailable();
    }

    DirectUnet(UnetArchitecture architecture, long[] exampleShape) {
        this.architecture = architecture;
        this.imageChannels = (int) exampleShape[0];
        int levels = architecture.levels();
        geometries = new Planes.Geometry[levels];
        masks = new float[levels][];
        for (int level = 0; level < levels; level++) {
            geometries[level] = new Planes.Geometry((int) exampleShape[1] >> level, (int) exampleShape[2] >> level);
            float[] mask = geometries[level].mask();
            masks[level] = java.util.Arrays.copyOf(mask, PlanarKernels.padded(mask.length));
        }
        boolean conditioned = architecture.conditioning().equals("bias");
        int embeddingWidth = 4 * architecture.channels();
        sigma = conditioned ? dense("sigma", 1 + architecture.embedding(), embeddingWidth) : null;
        in = conv("in", imageChannels, architecture.width(0), 3, 1, 1.0, 0);
        for (int level = 0; level < levels; level++) {
            int w = architecture.width(level);
            List<Block> blocks = new ArrayList<>();
            for (int b = 0; b < architecture.blocks(); b++) {
                blocks.add(block("down" + level + "." + b, level,
                        b == 0 && level > 0 ? architecture.width(level - 1) : w, w));
            }
            down.add(blocks);
            if (level < levels - 1) {
                downsample.add(conv("downsample" + level, w, w, 3, 2, 1.0, level + 1));
            }
        }
        int top = architecture.width(levels - 1);
        middle = block("middle", levels - 1, top, top);
        up = new Block[levels];
        upsample = new Conv[levels];
        for (int level = levels - 1; level >= 0; level--) {
            int w = architecture.width(level);
            up[level] = block("up" + level, level, 2 * w, w);
            if (level > 0) {
                upsample[level] = conv("upsample" + level, w, architecture.width(level - 1), 3, 1, 1.0, level - 1);
            }
        }
        out = conv("out", architecture.width(0), imageChannels, 3, 1, 0, 0);
    }

    private Block block(String name, int level, int channelsIn, int channelsOut) {
        Conv conv1 = conv(name + ".conv1", channelsIn, channelsOut, 3, 1, 1.0, level);
        Dense bias = sigma != null ? dense(name + ".sigma", 4 * architecture.channels(), channelsOut) : null;
        Conv conv2 = conv(name + ".conv2", channelsOut, channelsOut, 3, 1, 0.1, level);
        Conv skip = channelsIn == channelsOut ? null : conv(name + ".skip", channelsIn, channelsOut, 1, 1, 1.0, level);
        return new Block(name, level, conv1, bias, conv2, skip);
    }

    /** A convolution whose output lies at {@code level}. */
    private Conv conv(String name, int channelsIn, int channelsOut, int k, int stride, double scale, int level) {
        long w = parameters.add(name + ".w", scale, k, k, channelsIn, channelsOut);
        long b = parameters.add(name + ".b", 0, channelsOut);
        Planes.Geometry g = geometries[level];
        flops += 2L * k * k * channelsIn * channelsOut * g.height() * g.width();
        return new Conv(w, b, channelsIn, channelsOut, k, stride);
    }

    private Dense dense(String name, int channelsIn, int channelsOut) {
        long w = parameters.add(name + ".w", 1.0, channelsIn, channelsOut);
        long b = parameters.add(name + ".b", 0, 1, channelsOut);
        flops += 2L * channelsIn * channelsOut;
        return new Dense(w, b, channelsIn, channelsOut);
    }

    @Override
    public UnetParameters parameters() {
        return parameters;
    }

    @Override
    public long forwardFlops() {
        return flops;
    }

    @Override
    public void load(INDArray flat) {
        if (flat.length() != parameters.size()) {
            throw new IllegalArgumentException("ncsn-unet has " + parameters.size() + " parameters, got " + flat.length());
        }
        theta = flat.dataType() == DataType.FLOAT && flat.elementWiseStride() == 1 ? flat
                : flat.castTo(DataType.FLOAT).dup('c');
        thetaPointer = NativeArrays.pointer(theta);
        thetaValues = NativeArrays.bytes(theta).asFloatBuffer();
    }

    @Override
    public INDArray output(INDArray x, INDArray sigmaFeatures) {
        return withOwnThreads(() -> read(forward(x, sigmaFeatures), (int) x.size(0)));
    }

    @Override
    public INDArray gradient(INDArray x, INDArray sigmaFeatures, INDArray g) {
        return withOwnThreads(() -> {
            forward(x, sigmaFeatures);
            INDArray gradient = Nd4j.create(DataType.FLOAT, parameters.size());
            backward(g, new Gradient(NativeArrays.pointer(gradient), NativeArrays.bytes(gradient).asFloatBuffer()));
            return gradient;
        });
    }

    /**
     * Runs a pass with the work split over score4j's threads and OpenBLAS on one thread per call: the products of a
     * block are too small for OpenBLAS's own threads to pay (125–130 GFLOP/s for [32, 288] × [288, 896] on two
     * threads against 154 for two single-threaded products side by side), and the im2col copies get split too.
     * With every product on one thread and the weight gradients summed in fixed groups, the results do not depend on
     * the thread count.
     */
    private <T> T withOwnThreads(java.util.function.Supplier<T> pass) {
        threads = FusedKernels.threads();
        org.nd4j.linalg.api.blas.Blas blas = Nd4j.factory().blas();
        int before = blas.getMaxThreads();
        if (before != 1) {
            blas.setMaxThreads(1);
        }
        try {
            return pass.get();
        } finally {
            if (before != 1) {
                blas.setMaxThreads(before);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- forward

    /** Runs the network, keeping what the backward pass needs; returns the output maps. */
    private Planes forward(INDArray x, INDArray sigmaFeatures) {
        if (theta == null) {
            throw new IllegalStateException("no parameters loaded");
        }
        int n = (int) x.size(0);
        prepare(n);
        input = planes("x", imageChannels, 0);
        write(x, input);
        if (sigma != null) {
            features = Tensors.floats(sigmaFeatures);
            embeddingPre = denseForward(sigma, features, n);
            embedding = new float[embeddingPre.length];
            for (int i = 0; i < embedding.length; i++) {
                embedding[i] = swish(embeddingPre[i]);
            }
        }
        Planes h = planes("in.y", in.out(), 0);
        convolve(in, input, h);
        finish(h, h, null, null, bias(in), null, 0);
        int levels = architecture.levels();
        skips = new Planes[levels];
        upsampled = new Planes[levels];
        for (int level = 0; level < levels; level++) {
            for (Block b : down.get(level)) {
                h = blockForward(b, h);
            }
            skips[level] = h;
            if (level < levels - 1) {
                Conv d = downsample.get(level);
                Planes y = planes("downsample" + level + ".y", d.out(), level + 1);
                convolve(d, h, y);
                finish(y, y, null, null, bias(d), null, level + 1);
                h = y;
            }
        }
        h = blockForward(middle, h);
        for (int level = levels - 1; level >= 0; level--) {
            int w = architecture.width(level);
            Planes cat = planes("up" + level + ".cat", 2 * w, level);
            copy(h, cat.channels(0, w));
            copy(skips[level], cat.channels(w, w));
            h = blockForward(up[level], cat);
            if (level > 0) {
                Planes u = planes("upsample" + level + ".u", w, level - 1);
                upsampleForward(h, u);
                upsampled[level] = u;
                Conv c = upsample[level];
                Planes y = planes("upsample" + level + ".y", c.out(), level - 1);
                convolve(c, u, y);
                finish(y, y, null, null, bias(c), null, level - 1);
                h = y;
            }
        }
        Planes a = planes("out.a", out.in(), 0);
        Planes s = planes("out.s", out.in(), 0);
        finish(h, a, null, s, null, null, 0);
        Planes y = planes("out.y", out.out(), 0);
        convolve(out, a, y);
        finish(y, y, null, null, bias(out), null, 0);
        return y;
    }

    private Planes blockForward(Block b, Planes h) {
        blockInputs.put(b, h);
        int level = b.level();
        Planes a0 = planes(b.name() + ".a0", b.conv1().in(), level);
        Planes s0 = planes(b.name() + ".s0", b.conv1().in(), level);
        finish(h, a0, null, s0, null, null, level);
        Planes a1 = planes(b.name() + ".a1", b.conv1().out(), level);
        Planes s1 = planes(b.name() + ".s1", b.conv1().out(), level);
        convolve(b.conv1(), a0, a1);
        float[] e = b.sigma() == null ? null : denseForward(b.sigma(), embedding, batch);
        finish(a1, a1, null, s1, bias(b.conv1()), e, level);
        Planes y = planes(b.name() + ".y", b.conv2().out(), level);
        convolve(b.conv2(), a1, y);
        float[] bias = bias(b.conv2());
        Planes add = h;
        if (b.skip() != null) {
            add = planes(b.name() + ".skip", b.skip().out(), level);
            convolve(b.skip(), h, add);
            float[] skipBias = bias(b.skip());
            for (int c = 0; c < bias.length; c++) {
                bias[c] += skipBias[c];
            }
        }
        finish(y, y, add, null, bias, null, level);
        return y;
    }

    // ---------------------------------------------------------------------------------------------- backward

    private void backward(INDArray g, Gradient gradient) {
        int levels = architecture.levels();
        embeddingGradient = sigma == null ? null : new float[embedding.length];
        Planes dy = planes("out.dy", out.out(), 0);
        write(g, dy);
        Planes da = planes("out.da", out.in(), 0);
        da.zero();
        convBackward(out, planes("out.a", out.in(), 0), dy, da, 0, gradient);
        swishBackward(da, planes("out.s", out.in(), 0), planes("out.a", out.in(), 0));
        Planes d = da;
        Planes[] skipGradients = new Planes[levels];
        for (int level = 0; level < levels; level++) {
            int w = architecture.width(level);
            if (level > 0) {
                Planes du = planes("upsample" + level + ".du", w, level - 1);
                du.zero();
                convBackward(upsample[level], upsampled[level], d, du, level - 1, gradient);
                Planes dh = planes("upsample" + level + ".dh", w, level);
                upsampleBackward(du, dh);
                d = dh;
            }
            Planes dcat = blockBackward(up[level], d, gradient);
            d = dcat.channels(0, w);
            skipGradients[level] = dcat.channels(w, w);
        }
        d = blockBackward(middle, d, gradient);
        for (int level = levels - 1; level >= 0; level--) {
            if (level < levels - 1) {
                Conv c = downsample.get(level);
                Planes dx = planes("downsample" + level + ".dx", c.in(), level);
                dx.zero();
                convBackward(c, skips[level], d, dx, level + 1, gradient);
                d = dx;
            }
            finish(d, d, skipGradients[level], null, null, null, level);
            List<Block> blocks = down.get(level);
            for (int b = blocks.size() - 1; b >= 0; b--) {
                d = blockBackward(blocks.get(b), d, gradient);
            }
        }
        convBackward(in, input, d, null, 0, gradient);
        if (sigma != null) {
            float[] dpre = new float[embeddingPre.length];
            for (int i = 0; i < dpre.length; i++) {
                float s = sigmoid(embeddingPre[i]);
                dpre[i] = embeddingGradient[i] * (s + embedding[i] * (1 - s));
            }
            denseBackward(sigma, features, dpre, null, gradient);
        }
    }

    /** Back through a residual block given the gradient of its output; returns the gradient of its input. */
    private Planes blockBackward(Block b, Planes dy, Gradient gradient) {
        int level = b.level();
        Planes h = blockInputs.get(b);
        Planes a0 = planes(b.name() + ".a0", b.conv1().in(), level);
        Planes a1 = planes(b.name() + ".a1", b.conv1().out(), level);
        Planes da1 = planes(b.name() + ".da1", b.conv1().out(), level);
        da1.zero();
        convBackward(b.conv2(), a1, dy, da1, level, gradient);
        swishBackward(da1, planes(b.name() + ".s1", b.conv1().out(), level), a1);
        double[] sums = convBackward(b.conv1(), a0, da1, null, level, gradient);
        if (b.sigma() != null) {
            int channels = b.conv1().out();
            float[] de = new float[batch * channels];
            for (int c = 0; c < channels; c++) {
                for (int n = 0; n < batch; n++) {
                    de[n * channels + c] = (float) sums[c * batch + n];
                }
            }
            denseBackward(b.sigma(), embedding, de, embeddingGradient, gradient);
        }
        Planes da0 = planes(b.name() + ".da0", b.conv1().in(), level);
        da0.zero();
        inputGradient(b.conv1(), da1, da0, level);
        swishBackward(da0, planes(b.name() + ".s0", b.conv1().in(), level), a0);
        if (b.skip() == null) {
            finish(da0, da0, dy, null, null, null, level);
        } else {
            convBackward(b.skip(), h, dy, da0, level, gradient);
        }
        return da0;
    }

    // ---------------------------------------------------------------------------------------------- convolutions

    /** y ← conv(x) without bias, at every padded pixel of y (the padding holds garbage until a finish). */
    private void convolve(Conv c, Planes x, Planes y) {
        FloatPointer w = parameter(c.weights());
        List<int[]> blocks = blocks(c.k() == 1 ? 0 : c.taps(), c.stride(), y);
        FusedKernels.inWorkers(blocks.size(), threads, (worker, first, last) -> {
            for (int b = first; b < last; b++) {
                int from = blocks.get(b)[0];
                int length = blocks.get(b)[1];
                if (c.k() == 1) {
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, c.out(), length, c.in(), 1f, w, c.out(),
                            x.pointer(0, from), x.stride(), 0f, y.pointer(0, from), y.stride());
                } else {
                    im2col(x, c.in(), c.stride(), y.geometry(), from, length, columns[worker]);
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, c.out(), length, c.taps(), 1f, w, c.out(),
                            columns[worker], length, 0f, y.pointer(0, from), y.stride());
                }
            }
        });
    }

    /**
     * The weight and bias gradients of a convolution given the gradient dz of its output (zero on the padding), and
     * the input gradient added into {@code dx} unless null; {@code level} is the output's. Returns the sums of dz per
     * channel and image.
     */
    private double[] convBackward(Conv c, Planes x, Planes dz, Planes dx, int level, Gradient gradient) {
        double[] sums = new double[dz.channels() * batch];
        FusedKernels.inParts(sums.length, dz.geometry().plane(), (from, to) -> PlanarKernels.segmentSums(dz, sums, from, to));
        for (int ch = 0; ch < c.out(); ch++) {
            double total = 0;
            for (int n = 0; n < batch; n++) {
                total += sums[ch * batch + n];
            }
            gradient.add(c.bias() + ch, total);
        }
        weightGradient(c, x, dz, gradient);
        if (dx != null) {
            inputGradient(c, dz, dx, level);
        }
        return sums;
    }

    /**
     * Adds xᵀ-by-dz products into the weight gradient: the column blocks are summed in {@link #GROUPS} fixed groups,
     * each on one thread, and the groups in order, so the result does not depend on the thread count.
     */
    private void weightGradient(Conv c, Planes x, Planes dz, Gradient gradient) {
        List<int[]> blocks = blocks(c.k() == 1 ? 0 : c.taps(), c.stride(), dz);
        int groups = Math.min(GROUPS, blocks.size());
        int size = c.taps() * c.out();
        if (size > partialCapacity) {
            for (int g = 0; g < GROUPS; g++) {
                partials[g] = new FloatPointer(size);
            }
            partialCapacity = size;
        }
        FusedKernels.inWorkers(groups, threads, (worker, firstGroup, lastGroup) -> {
            for (int g = firstGroup; g < lastGroup; g++) {
                int first = blocks.size() * g / groups;
                int last = blocks.size() * (g + 1) / groups;
                for (int b = first; b < last; b++) {
                    int from = blocks.get(b)[0];
                    int length = blocks.get(b)[1];
                    float beta = b == first ? 0f : 1f;
                    if (c.k() == 1) {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, c.in(), c.out(), length, 1f,
                                x.pointer(0, from), x.stride(), dz.pointer(0, from), dz.stride(), beta, partials[g], c.out());
                    } else {
                        im2col(x, c.in(), c.stride(), dz.geometry(), from, length, columns[worker]);
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, c.taps(), c.out(), length, 1f,
                                columns[worker], length, dz.pointer(0, from), dz.stride(), beta, partials[g], c.out());
                    }
                }
            }
        });
        gradient.addAll(c.weights(), partials, groups, size);
    }

    /**
     * dx += the input gradient of a convolution for output gradient dz; dx's padding is zero after. For stride 1 it
     * is itself a convolution of dz, with the kernel flipped and in and out swapped, so threads write disjoint
     * columns; for stride 2 the columns' gradients are scattered back image by image.
     */
    private void inputGradient(Conv c, Planes dz, Planes dx, int level) {
        FloatPointer w = parameter(c.weights());
        if (c.k() == 1) {
            List<int[]> blocks = blocks(0, 1, dz);
            FusedKernels.inWorkers(blocks.size(), threads, (worker, first, last) -> {
                for (int b = first; b < last; b++) {
                    int from = blocks.get(b)[0];
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, c.in(), blocks.get(b)[1], c.out(), 1f, w,
                            c.out(), dz.pointer(0, from), dz.stride(), 1f, dx.pointer(0, from), dx.stride());
                }
            });
            return;
        }
        if (c.stride() == 1) {
            int taps = 9 * c.out();
            FloatPointer flipped = flipped(c);
            List<int[]> blocks = blocks(taps, 1, dx);
            FusedKernels.inWorkers(blocks.size(), threads, (worker, first, last) -> {
                for (int b = first; b < last; b++) {
                    int from = blocks.get(b)[0];
                    int length = blocks.get(b)[1];
                    im2col(dz, c.out(), 1, dx.geometry(), from, length, columns[worker]);
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, c.in(), length, taps, 1f, flipped, c.in(),
                            columns[worker], length, 1f, dx.pointer(0, from), dx.stride());
                }
            });
        } else {
            List<int[]> blocks = blocks(c.taps(), 2, dz);
            FusedKernels.inWorkers(blocks.size(), threads, (worker, first, last) -> {
                for (int b = first; b < last; b++) {
                    int from = blocks.get(b)[0];
                    int length = blocks.get(b)[1];
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, c.taps(), length, c.out(), 1f, w, c.out(),
                            dz.pointer(0, from), dz.stride(), 0f, columns[worker], length);
                    scatter(c, dx, dz.geometry(), from, length, columns[worker]);
                }
            });
        }
        finish(dx, dx, null, null, null, null, c.stride() == 2 ? level - 1 : level);
    }

    /** A 3×3 kernel [3, 3, in, out] flipped and transposed: [3, 3, out, in] with tap t at 8 − t. */
    private FloatPointer flipped(Conv c) {
        int size = c.taps() * c.out();
        float[] w = new float[size];
        thetaValues.get((int) c.weights(), w);
        float[] f = new float[size];
        for (int t = 0; t < 9; t++) {
            for (int ci = 0; ci < c.in(); ci++) {
                for (int co = 0; co < c.out(); co++) {
                    f[((8 - t) * c.out() + co) * c.in() + ci] = w[(t * c.in() + ci) * c.out() + co];
                }
            }
        }
        if (flippedWeights == null || flippedWeights.capacity() < size) {
            flippedWeights = new FloatPointer(size);
        }
        flippedWeights.put(f, 0, size);
        return flippedWeights;
    }

    /**
     * The column blocks {from, length} that the output maps {@code y} are computed in: for a 3×3 kernel with
     * {@code taps} im2col rows, blocks whose im2col fits {@link #BLOCK_FLOATS} (whole images for stride 2); for a
     * 1×1 kernel ({@code taps} 0), {@link #GROUPS} equal parts. Makes sure every worker has room for one.
     */
    private List<int[]> blocks(int taps, int stride, Planes y) {
        int total = y.stride();
        int length;
        if (taps == 0) {
            length = (total + GROUPS - 1) / GROUPS;
        } else if (stride == 1) {
            length = Math.min(total, Math.max(256, BLOCK_FLOATS / taps / 16 * 16));
        } else {
            int plane = y.geometry().plane();
            length = plane * Math.max(1, Math.min(batch, BLOCK_FLOATS / (taps * plane)));
        }
        long needed = (long) taps * length;
        if (needed > columnCapacity || columns[threads - 1] == null) {
            for (int k = 0; k < threads; k++) {
                columns[k] = new FloatPointer(needed);
            }
            columnCapacity = needed;
        }
        List<int[]> blocks = new ArrayList<>();
        for (int from = 0; from < total; from += length) {
            blocks.add(new int[] {from, Math.min(length, total - from)});
        }
        return blocks;
    }

    /**
     * The im2col rows of output pixels [from, from + length) into {@code col} ([9·channels, length], row
     * (ky, kx, channel)): for stride 1 each row is one copy at the tap's offset; for stride 2 a gather, zero on the
     * output's padding.
     */
    private static void im2col(Planes x, int channels, int stride, Planes.Geometry output, int from, int length,
                               FloatPointer col) {
        FloatBuffer target = col.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
        FloatBuffer source = x.bytes().asFloatBuffer();
        Planes.Geometry g = x.geometry();
        if (stride == 1) {
            for (int tap = 0; tap < 9; tap++) {
                int offset = (tap / 3 - 1) * g.rowLength() + tap % 3 - 1;
                for (int ch = 0; ch < channels; ch++) {
                    target.put((tap * channels + ch) * length, source, x.index(ch, from + offset), length);
                }
            }
            return;
        }
        float[] row = new float[length];
        int[] sources = strided(g, output, from, length);
        for (int tap = 0; tap < 9; tap++) {
            int shift = tap / 3 * g.rowLength() + tap % 3;
            for (int ch = 0; ch < channels; ch++) {
                int at = x.index(ch, 0) + shift;
                for (int j = 0; j < length; j++) {
                    row[j] = sources[j] < 0 ? 0f : source.get(at + sources[j]);
                }
                target.put((tap * channels + ch) * length, row, 0, length);
            }
        }
    }

    /**
     * dx += the column gradients {@code dcol} of a stride-2 convolution's output pixels [from, from + length), whole
     * images: each image's pixels, and the zero rows and columns it shares with its neighbours, which the caller
     * zeroes after (two threads may both add there); never past the maps' end, where the guard must stay zero.
     */
    private static void scatter(Conv c, Planes dx, Planes.Geometry output, int from, int length, FloatPointer dcol) {
        FloatBuffer target = dx.bytes().asFloatBuffer();
        FloatBuffer source = dcol.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
        int[] sources = strided(dx.geometry(), output, from, length);
        int end = dx.index(0, 0) + dx.length();
        for (int tap = 0; tap < 9; tap++) {
            int shift = tap / 3 * dx.geometry().rowLength() + tap % 3;
            for (int ch = 0; ch < c.in(); ch++) {
                int at = dx.index(ch, 0) + shift;
                int row = (tap * c.in() + ch) * length;
                for (int j = 0; j < length; j++) {
                    if (sources[j] >= 0 && at + sources[j] < end) {
                        target.put(at + sources[j], target.get(at + sources[j]) + source.get(row + j));
                    }
                }
            }
        }
    }

    /**
     * For a stride-2 convolution with SAME padding (⌊total / 2⌋ before, as libnd4j): for each output pixel j of
     * [from, from + length), the padded input pixel under the kernel's top-left tap (taps add ky rows and kx
     * columns), or −1 on the output's padding.
     */
    private static int[] strided(Planes.Geometry input, Planes.Geometry output, int from, int length) {
        int top = Math.max(0, (output.height() - 1) * 2 + 3 - input.height()) / 2;
        int left = Math.max(0, (output.width() - 1) * 2 + 3 - input.width()) / 2;
        int plane = output.plane();
        int[] sources = new int[length];
        for (int j = 0; j < length; j++) {
            int p = from + j;
            int y = p % plane / output.rowLength() - 1;
            int x = p % plane % output.rowLength();
            boolean inside = y >= 0 && y < output.height() && x < output.width();
            sources[j] = inside ? p / plane * input.plane() + input.at(2 * y - top, 2 * x - left) : -1;
        }
        return sources;
    }

    // ---------------------------------------------------------------------------------------------- other layers

    /** u ← h repeated 2×2 (nearest-neighbour upsampling). */
    private void upsampleForward(Planes h, Planes u) {
        FusedKernels.inParts(h.channels() * batch, h.geometry().plane(), (from, to) -> {
            Planes.Geometry small = h.geometry();
            Planes.Geometry big = u.geometry();
            float[] a = new float[small.plane()];
            float[] b = new float[big.plane()];
            FloatBuffer source = h.bytes().asFloatBuffer();
            FloatBuffer target = u.bytes().asFloatBuffer();
            for (int k = from; k < to; k++) {
                source.get(h.index(0, k * small.plane()), a, 0, a.length);
                for (int y = 0; y < big.height(); y++) {
                    for (int x = 0; x < big.width(); x++) {
                        b[big.at(y, x)] = a[small.at(y / 2, x / 2)];
                    }
                }
                target.put(u.index(0, k * big.plane()), b, 0, b.length);
            }
        });
    }

    /** dh ← the 2×2 block sums of du. */
    private void upsampleBackward(Planes du, Planes dh) {
        FusedKernels.inParts(dh.channels() * batch, dh.geometry().plane(), (from, to) -> {
            Planes.Geometry small = dh.geometry();
            Planes.Geometry big = du.geometry();
            float[] a = new float[small.plane()];
            float[] b = new float[big.plane()];
            FloatBuffer source = du.bytes().asFloatBuffer();
            FloatBuffer target = dh.bytes().asFloatBuffer();
            for (int k = from; k < to; k++) {
                source.get(du.index(0, k * big.plane()), b, 0, b.length);
                for (int y = 0; y < small.height(); y++) {
                    for (int x = 0; x < small.width(); x++) {
                        a[small.at(y, x)] = b[big.at(2 * y, 2 * x)] + b[big.at(2 * y, 2 * x + 1)]
                                + b[big.at(2 * y + 1, 2 * x)] + b[big.at(2 * y + 1, 2 * x + 1)];
                    }
                }
                target.put(dh.index(0, k * small.plane()), a, 0, a.length);
            }
        });
    }

    /** input [n, in] · W + b → [n, out], row-major heap arrays. */
    private float[] denseForward(Dense d, float[] input, int n) {
        float[] w = new float[d.in() * d.out()];
        thetaValues.get((int) d.weights(), w);
        float[] result = new float[n * d.out()];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < d.out(); o++) {
                float sum = thetaValues.get((int) d.bias() + o);
                for (int i = 0; i < d.in(); i++) {
                    sum += input[r * d.in() + i] * w[i * d.out() + o];
                }
                result[r * d.out() + o] = sum;
            }
        }
        return result;
    }

    /** The parameter gradients of a dense layer for output gradient dOut, and its input gradient added into dInput. */
    private void denseBackward(Dense d, float[] input, float[] dOut, float[] dInput, Gradient gradient) {
        int n = dOut.length / d.out();
        for (int o = 0; o < d.out(); o++) {
            double total = 0;
            for (int r = 0; r < n; r++) {
                total += dOut[r * d.out() + o];
            }
            gradient.add(d.bias() + o, total);
            for (int i = 0; i < d.in(); i++) {
                double sum = 0;
                for (int r = 0; r < n; r++) {
                    sum += (double) input[r * d.in() + i] * dOut[r * d.out() + o];
                }
                gradient.add(d.weights() + (long) i * d.out() + o, sum);
            }
        }
        if (dInput != null) {
            for (int r = 0; r < n; r++) {
                for (int i = 0; i < d.in(); i++) {
                    float sum = 0;
                    for (int o = 0; o < d.out(); o++) {
                        sum += dOut[r * d.out() + o] * thetaValues.get((int) (d.weights() + (long) i * d.out() + o));
                    }
                    dInput[r * d.in() + i] += sum;
                }
            }
        }
    }

    private static float sigmoid(float x) {
        return (float) (1 / (1 + StrictMath.exp(-x)));
    }

    private static float swish(float x) {
        return x * sigmoid(x);
    }

    // ---------------------------------------------------------------------------------------------- plumbing

    /** The flat parameter gradient being filled, with weights updated by BLAS and the rest by the JVM. */
    private record Gradient(FloatPointer pointer, FloatBuffer values) {
        FloatPointer at(long offset) {
            return new FloatPointer(pointer).position(offset);
        }

        void add(long index, double value) {
            values.put((int) index, values.get((int) index) + (float) value);
        }

        /** Adds the first {@code size} values of parts [0, count), in order, at {@code offset}. */
        void addAll(long offset, FloatPointer[] parts, int count, int size) {
            float[] sum = new float[size];
            values.get((int) offset, sum);
            float[] part = new float[size];
            for (int g = 0; g < count; g++) {
                parts[g].get(part, 0, size);
                for (int i = 0; i < size; i++) {
                    sum[i] += part[i];
                }
            }
            values.put((int) offset, sum);
        }
    }

    private FloatPointer parameter(long offset) {
        return new FloatPointer(thetaPointer).position(offset);
    }

    private float[] bias(Conv c) {
        float[] b = new float[c.out()];
        thetaValues.get((int) c.bias(), b);
        return b;
    }

    /** Work maps for the current batch, allocated on first use. */
    private Planes planes(String name, int channels, int level) {
        return work.computeIfAbsent(name, k -> Planes.allocate(channels, batch, geometries[level]));
    }

    private void prepare(int n) {
        if (n != batch) {
            work.values().forEach(Planes::release);
            work.clear();
            batch = n;
        }
        blockInputs.clear();
    }

    /** See {@link PlanarKernels#finish}, over all segments of {@code src} on the native threads. */
    private void finish(Planes src, Planes dst, Planes add, Planes sig, float[] bias, float[] e, int level) {
        float[] mask = masks[level];
        FusedKernels.inParts(src.channels() * batch, src.geometry().plane(),
                (from, to) -> PlanarKernels.finish(src, dst, add, sig, bias, e, mask, from, to));
    }

    private void swishBackward(Planes g, Planes s, Planes a) {
        FusedKernels.inParts(g.channels() * batch, g.geometry().plane(),
                (from, to) -> PlanarKernels.swishBackward(g, s, a, from, to));
    }

    private static void copy(Planes from, Planes to) {
        to.bytes().asFloatBuffer().put(to.index(0, 0), from.bytes().asFloatBuffer(), from.index(0, 0), from.length());
    }

    /** x [N, C, H, W] into the maps' image pixels. */
    private static void write(INDArray x, Planes planes) {
        float[] values = Tensors.floats(x);
        Planes.Geometry g = planes.geometry();
        FloatBuffer target = planes.bytes().asFloatBuffer();
        int channels = planes.channels();
        int n = planes.batch();
        for (int image = 0; image < n; image++) {
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < g.height(); y++) {
                    target.put(planes.index(c, image * g.plane() + g.at(y, 0)), values,
                            ((image * channels + c) * g.height() + y) * g.width(), g.width());
                }
            }
        }
    }

    /** The maps' image pixels as [N, C, H, W]. */
    private static INDArray read(Planes planes, int n) {
        Planes.Geometry g = planes.geometry();
        int channels = planes.channels();
        float[] values = new float[n * channels * g.height() * g.width()];
        FloatBuffer source = planes.bytes().asFloatBuffer();
        for (int image = 0; image < n; image++) {
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < g.height(); y++) {
                    source.get(planes.index(c, image * g.plane() + g.at(y, 0)), values,
                            ((image * channels + c) * g.height() + y) * g.width(), g.width());
                }
            }
        }
        return Tensors.array(values, DataType.FLOAT, n, channels, g.height(), g.width());
    }
}
