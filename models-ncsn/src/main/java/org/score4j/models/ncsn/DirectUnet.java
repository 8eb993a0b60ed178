package org.score4j.models.ncsn;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasColMajor;
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
 * The U-Net of {@link NcsnUnet} computed on the JVM and OpenBLAS: on the padded channels-last layout of
 * {@link Planes} a 3×3 convolution of a block of positions is nine single-threaded sgemm calls on shifted views (the
 * blocks split over score4j's threads), the elementwise work runs as fused passes ({@link PlanarKernels}) right after
 * each block's products, and every work array is allocated once per batch size and reused. The same network as
 * {@link UnetGraph} (tested against it), several times faster than SameDiff's convolutions on 2 cores and without
 * their per-step garbage.
 */
final class DirectUnet implements UnetNetwork {
    /** Floats of input and output per block of positions: small enough to stay in a core's cache over nine products. */
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

    private final List<Conv> convolutions = new ArrayList<>();
    private INDArray theta;
    /** Each convolution's kernel as [out, k·k·in] at the kernel's offset, rebuilt by {@link #load}. */
    private FloatPointer transposedWeights;
    private FloatPointer thetaPointer;
    private FloatBuffer thetaValues;

    private int batch = -1;
    private final Map<String, Planes> work = new HashMap<>();
    private int threads = 1;
    /** Each worker's im2col rows of a stride-2 block. */
    private final FloatPointer[] columns = new FloatPointer[Runtime.getRuntime().availableProcessors()];
    private long columnCapacity;
    /** Each group's part of a weight gradient. */
    private final FloatPointer[] partials = new FloatPointer[GROUPS];
    private int partialCapacity;

    /** The arrays of the last forward pass, by identity. */
    private INDArray lastX;
    private INDArray lastFeatures;
    private INDArray lastTheta;

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
            masks[level] = mask;
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
        Planes.Geometry g = geometries[level];
        long[] at = parameters.convolution(name, channelsIn, channelsOut, k, scale, (long) g.height() * g.width());
        Conv conv = new Conv(at[0], at[1], channelsIn, channelsOut, k, stride);
        convolutions.add(conv);
        return conv;
    }

    private Dense dense(String name, int channelsIn, int channelsOut) {
        long[] at = parameters.dense(name, channelsIn, channelsOut);
        return new Dense(at[0], at[1], channelsIn, channelsOut);
    }

    @Override
    public UnetParameters parameters() {
        return parameters;
    }

    @Override
    public void load(INDArray flat) {
        lastTheta = null;
        if (flat.length() != parameters.size()) {
            throw new IllegalArgumentException("ncsn-unet has " + parameters.size() + " parameters, got " + flat.length());
        }
        theta = flat.dataType() == DataType.FLOAT && flat.elementWiseStride() == 1 ? flat
                : flat.castTo(DataType.FLOAT).dup('c');
        thetaPointer = NativeArrays.pointer(theta);
        thetaValues = NativeArrays.bytes(theta).asFloatBuffer();
        if (transposedWeights == null) {
            transposedWeights = new FloatPointer(parameters.size());
        }
        for (Conv c : convolutions) {
            int rows = c.taps();
            float[] w = new float[rows * c.out()];
            thetaValues.get((int) c.weights(), w);
            float[] t = new float[w.length];
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < c.out(); o++) {
                    t[o * rows + r] = w[r * c.out() + o];
                }
            }
            new FloatPointer(transposedWeights).position(c.weights()).put(t, 0, t.length);
        }
    }

    @Override
    public INDArray output(INDArray x, INDArray sigmaFeatures) {
        return withOwnThreads(() -> read(forward(x, sigmaFeatures), (int) x.size(0)));
    }

    /** {@inheritDoc} The forward pass of the last {@link #output} is reused when it had these very arrays. */
    @Override
    public INDArray gradient(INDArray x, INDArray sigmaFeatures, INDArray g) {
        return withOwnThreads(() -> {
            if (x != lastX || sigmaFeatures != lastFeatures || theta != lastTheta) {
                forward(x, sigmaFeatures);
            }
            INDArray gradient = Nd4j.create(DataType.FLOAT, parameters.size());
            backward(g, new Gradient(NativeArrays.pointer(gradient), NativeArrays.bytes(gradient).asFloatBuffer()));
            return gradient;
        });
    }

    /**
     * Runs a pass with the work split over score4j's threads and OpenBLAS on one thread per call: the products of a
     * block are too small for OpenBLAS's own threads to pay (125–130 GFLOP/s for [32, 288] × [288, 896] on two
     * threads against 154 for two single-threaded products side by side), and the passes after them get split too.
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
        lastX = x;
        lastFeatures = sigmaFeatures;
        lastTheta = theta;
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
        convolve(in, input, h, finishing(h, null, null, bias(in), null, 0));
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
                convolve(d, h, y, finishing(y, null, null, bias(d), null, level + 1));
                h = y;
            }
        }
        h = blockForward(middle, h);
        for (int level = levels - 1; level >= 0; level--) {
            int w = architecture.width(level);
            Planes cat = planes("up" + level + ".cat", 2 * w, level);
            concat(h, skips[level], cat, true);
            h = blockForward(up[level], cat);
            if (level > 0) {
                Planes u = planes("upsample" + level + ".u", w, level - 1);
                upsample(h, u, true);
                upsampled[level] = u;
                Conv c = upsample[level];
                Planes y = planes("upsample" + level + ".y", c.out(), level - 1);
                convolve(c, u, y, finishing(y, null, null, bias(c), null, level - 1));
                h = y;
            }
        }
        Planes a = planes("out.a", out.in(), 0);
        Planes s = planes("out.s", out.in(), 0);
        finish(h, a, null, s, null, null, 0);
        Planes y = planes("out.y", out.out(), 0);
        convolve(out, a, y, finishing(y, null, null, bias(out), null, 0));
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
        float[] e = b.sigma() == null ? null : denseForward(b.sigma(), embedding, batch);
        convolve(b.conv1(), a0, a1, finishing(a1, null, s1, bias(b.conv1()), e, level));
        float[] bias = bias(b.conv2());
        Planes add = h;
        if (b.skip() != null) {
            add = planes(b.name() + ".skip", b.skip().out(), level);
            convolve(b.skip(), h, add, null);
            float[] skipBias = bias(b.skip());
            for (int c = 0; c < bias.length; c++) {
                bias[c] += skipBias[c];
            }
        }
        Planes y = planes(b.name() + ".y", b.conv2().out(), level);
        convolve(b.conv2(), a1, y, finishing(y, add, null, bias, null, level));
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
        convBackward(out, planes("out.a", out.in(), 0), dy, da, planes("out.s", out.in(), 0), 0, gradient);
        Planes d = da;
        Planes[] skipGradients = new Planes[levels];
        for (int level = 0; level < levels; level++) {
            int w = architecture.width(level);
            if (level > 0) {
                Planes du = planes("upsample" + level + ".du", w, level - 1);
                du.zero();
                convBackward(upsample[level], upsampled[level], d, du, null, level - 1, gradient);
                Planes dh = planes("upsample" + level + ".dh", w, level);
                upsample(dh, du, false);
                d = dh;
            }
            Planes dcat = blockBackward(up[level], d, gradient);
            d = planes("up" + level + ".dh", w, level);
            skipGradients[level] = planes("up" + level + ".dskip", w, level);
            concat(d, skipGradients[level], dcat, false);
        }
        d = blockBackward(middle, d, gradient);
        for (int level = levels - 1; level >= 0; level--) {
            if (level < levels - 1) {
                Conv c = downsample.get(level);
                Planes dx = planes("downsample" + level + ".dx", c.in(), level);
                dx.zero();
                convBackward(c, skips[level], d, dx, null, level + 1, gradient);
                d = dx;
            }
            finish(d, d, skipGradients[level], null, null, null, level);
            List<Block> blocks = down.get(level);
            for (int b = blocks.size() - 1; b >= 0; b--) {
                d = blockBackward(blocks.get(b), d, gradient);
            }
        }
        convBackward(in, input, d, null, null, 0, gradient);
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
        convBackward(b.conv2(), a1, dy, da1, planes(b.name() + ".s1", b.conv1().out(), level), level, gradient);
        double[] sums = convBackward(b.conv1(), a0, da1, null, null, level, gradient);
        if (b.sigma() != null) {
            int channels = b.conv1().out();
            float[] de = new float[batch * channels];
            for (int i = 0; i < de.length; i++) {
                de[i] = (float) sums[i];
            }
            denseBackward(b.sigma(), embedding, de, embeddingGradient, gradient);
        }
        Planes da0 = planes(b.name() + ".da0", b.conv1().in(), level);
        da0.zero();
        inputGradient(b.conv1(), da1, da0, planes(b.name() + ".s0", b.conv1().in(), level), a0, level);
        if (b.skip() == null) {
            finish(da0, da0, dy, null, null, null, level);
        } else {
            convBackward(b.skip(), h, dy, da0, null, level, gradient);
        }
        return da0;
    }

    // ---------------------------------------------------------------------------------------------- convolutions

    /**
     * y ← conv(x) without bias, at every position of y (the padding holds garbage until a finish), then
     * {@code after} on each block's positions, on the thread that computed the block while it is in cache (null:
     * nothing).
     */
    private void convolve(Conv c, Planes x, Planes y, FusedKernels.RowRange after) {
        List<int[]> blocks = blocks(c, y);
        FusedKernels.inWorkers(blocks.size(), threads, (worker, first, last) -> {
            for (int b = first; b < last; b++) {
                int from = blocks.get(b)[0];
                int length = blocks.get(b)[1];
                if (gathered(c)) {
                    GatheredRows.gather(x, GatheredRows.sources(c.stride(), x.geometry(), y.geometry(), from, length), length,
                            columns[worker]);
                    cblas_sgemm(CblasColMajor, CblasTrans, CblasNoTrans, c.out(), length, c.taps(), 1f,
                            transposed(c, 0), c.taps(), columns[worker], c.taps(), 0f, y.pointer(from), c.out());
                } else {
                    for (int tap = 0; tap < c.k() * c.k(); tap++) {
                        cblas_sgemm(CblasColMajor, CblasTrans, CblasNoTrans, c.out(), length, c.in(), 1f,
                                transposed(c, tap), c.taps(), x.pointer(from + offset(c, x.geometry(), tap)), c.in(),
                                tap == 0 ? 0f : 1f, y.pointer(from), c.out());
                    }
                }
                if (after != null) {
                    after.run(from, from + length);
                }
            }
        });
    }

    /**
     * The weight and bias gradients of a convolution given the gradient dz of its output (zero on the padding), and
     * the input gradient added into {@code dx} unless null, through a swish with sigmoid {@code sig} and output x
     * unless {@code sig} is null; {@code level} is the output's. Returns the sums of dz per image and channel,
     * [N, out].
     */
    private double[] convBackward(Conv c, Planes x, Planes dz, Planes dx, Planes sig, int level, Gradient gradient) {
        double[] sums = weightGradient(c, x, dz, gradient);
        for (int ch = 0; ch < c.out(); ch++) {
            double total = 0;
            for (int n = 0; n < batch; n++) {
                total += sums[n * c.out() + ch];
            }
            gradient.add(c.bias() + ch, total);
        }
        if (dx != null) {
            inputGradient(c, dz, dx, sig, sig == null ? null : x, level);
        }
        return sums;
    }

    /**
     * Adds the products of the shifted inputs with dz into the weight gradient, and returns the sums of dz per image
     * and channel, [N, out], taken on the way while each block is in cache: the blocks are summed in
     * {@link #GROUPS} fixed groups, each on one thread, and the groups in order, so the result does not depend on
     * the thread count.
     */
    private double[] weightGradient(Conv c, Planes x, Planes dz, Gradient gradient) {
        List<int[]> blocks = blocks(c, dz);
        int groups = Math.min(GROUPS, blocks.size());
        double[][] groupSums = new double[groups][batch * c.out()];
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
                    PlanarKernels.imageSums(dz, groupSums[g], from, from + length);
                    if (gathered(c)) {
                        GatheredRows.gather(x, GatheredRows.sources(c.stride(), x.geometry(), dz.geometry(), from, length),
                                length, columns[worker]);
                        cblas_sgemm(CblasColMajor, CblasNoTrans, CblasTrans, c.out(), c.taps(), length, 1f,
                                dz.pointer(from), c.out(), columns[worker], c.taps(), beta, partials[g], c.out());
                        continue;
                    }
                    for (int tap = 0; tap < c.k() * c.k(); tap++) {
                        cblas_sgemm(CblasColMajor, CblasNoTrans, CblasTrans, c.out(), c.in(), length, 1f,
                                dz.pointer(from), c.out(), x.pointer(from + offset(c, x.geometry(), tap)), c.in(), beta,
                                new FloatPointer(partials[g]).position((long) tap * c.in() * c.out()), c.out());
                    }
                }
            }
        });
        gradient.addAll(c.weights(), partials, groups, size);
        double[] sums = groupSums[0];
        for (int g = 1; g < groups; g++) {
            for (int i = 0; i < sums.length; i++) {
                sums[i] += groupSums[g][i];
            }
        }
        return sums;
    }

    /**
     * dx += the input gradient of a convolution for output gradient dz; dx's padding is zero after. Then, unless
     * {@code sig} is null, dx goes back through the swish whose sigmoid is {@code sig} and output {@code a}. For stride
     * 1 it is nine products of dz shifted the other way with the transposed tap weights, so threads write disjoint
     * positions and finish their own blocks; for stride 2 the columns' gradients are scattered back, whole images per
     * block.
     */
    private void inputGradient(Conv c, Planes dz, Planes dx, Planes sig, Planes a, int level) {
        List<int[]> blocks = c.stride() == 2 ? blocks(c, dz) : blocks(c, dx);
        int end = dx.index(0) + dx.length();
        FusedKernels.inWorkers(blocks.size(), threads, (worker, first, last) -> {
            for (int b = first; b < last; b++) {
                int from = blocks.get(b)[0];
                int length = blocks.get(b)[1];
                if (c.stride() == 2) {
                    cblas_sgemm(CblasColMajor, CblasTrans, CblasNoTrans, c.taps(), length, c.out(), 1f,
                            parameter(c.weights()), c.out(), dz.pointer(from), c.out(), 0f, columns[worker], c.taps());
                    GatheredRows.scatter(dx, dz.geometry(), from, length, columns[worker], end);
                    continue;
                }
                for (int tap = 0; tap < c.k() * c.k(); tap++) {
                    cblas_sgemm(CblasColMajor, CblasTrans, CblasNoTrans, c.in(), length, c.out(), 1f,
                            tapWeights(c, tap), c.out(), dz.pointer(from - offset(c, dx.geometry(), tap)), c.out(), 1f,
                            dx.pointer(from), c.in());
                }
                if (c.k() > 1) {
                    PlanarKernels.finish(dx, dx, null, null, null, null, masks[level], from, from + length);
                }
                if (sig != null) {
                    swishBackward(dx, sig, a, from, from + length);
                }
            }
        });
        if (c.stride() == 2) {
            finish(dx, dx, null, null, null, null, level - 1);
            if (sig != null) {
                FusedKernels.inParts(dx.positions(), dx.channels(), (from, to) -> swishBackward(dx, sig, a, from, to));
            }
        }
    }

    /** The position offset of a tap of a stride-1 kernel: taps in row order, the centre at 0. */
    private static int offset(Conv c, Planes.Geometry g, int tap) {
        return c.k() == 1 ? 0 : (tap / 3 - 1) * g.rowLength() + tap % 3 - 1;
    }

    /**
     * The kernel [k, k, in, out] as [out, k·k·in], from tap {@code tap} on: the form OpenBLAS multiplies fastest with
     * channels-last inputs (up to 1.6× the speed of the same product on the kernel as stored, for 32 channels).
     */
    private FloatPointer transposed(Conv c, int tap) {
        return new FloatPointer(transposedWeights).position(c.weights() + (long) tap * c.in());
    }

    /** The [in, out] weights of one tap of a kernel [k, k, in, out]. */
    private FloatPointer tapWeights(Conv c, int tap) {
        return parameter(c.weights() + (long) tap * c.in() * c.out());
    }

    /**
     * The blocks {from, length} of positions of the output maps {@code y} a convolution is computed in: for stride 1
     * at most {@link #BLOCK_FLOATS} of input and output per block, in a multiple of {@link #GROUPS} blocks (so that
     * 1, 2 or 4 threads get equal shares, and the blocks do not depend on the thread count); whole images for
     * stride 2. Makes sure every worker has room for a block's im2col rows where they are gathered.
     */
    private List<int[]> blocks(Conv c, Planes y) {
        int total = y.positions();
        int length;
        if (c.stride() == 1) {
            int count = (total + BLOCK_FLOATS / (c.in() + c.out()) - 1) / (BLOCK_FLOATS / (c.in() + c.out()));
            count = (count + GROUPS - 1) / GROUPS * GROUPS;
            length = (total + count - 1) / count;
        } else {
            int plane = y.geometry().plane();
            length = plane * Math.max(1, Math.min(batch, BLOCK_FLOATS / (c.taps() * plane)));
        }
        if (gathered(c)) {
            long needed = (long) c.taps() * length;
            if (needed > columnCapacity || columns[threads - 1] == null) {
                for (int k = 0; k < threads; k++) {
                    columns[k] = new FloatPointer(Math.max(needed, columnCapacity));
                }
                columnCapacity = Math.max(needed, columnCapacity);
            }
        }
        List<int[]> blocks = new ArrayList<>();
        for (int from = 0; from < total; from += length) {
            blocks.add(new int[] {from, Math.min(length, total - from)});
        }
        return blocks;
    }

    /** Inputs with fewer channels than this go through gathered im2col rows, one product with K = 9·in. */
    private static final int GATHER_BELOW = 8;
    /**
     * Whether a convolution runs on gathered im2col rows rather than nine shifted products: stride 2, whose taps are
     * not a shift of the output, and 3×3 kernels on so few channels that nine products with K = in would be mostly
     * call overhead (the input convolution of 1-channel images).
     */
    private static boolean gathered(Conv c) {
        return c.stride() == 2 || (c.k() == 3 && c.in() < GATHER_BELOW);
    }

    // ---------------------------------------------------------------------------------------------- other layers

    /** big ← small repeated 2×2 (nearest-neighbour upsampling) when {@code up}, else small ← its gradient. */
    private void upsample(Planes small, Planes big, boolean up) {
        FusedKernels.inParts(batch, big.geometry().plane() * small.channels(),
                (from, to) -> PlanarKernels.upsample(small, big, up, from, to));
    }

    /** joined ← (first, second) along channels when {@code join}, else the reverse. */
    private void concat(Planes first, Planes second, Planes joined, boolean join) {
        FusedKernels.inParts(joined.positions(), joined.channels(),
                (from, to) -> PlanarKernels.concat(first, second, joined, join, from, to));
    }

    /** input [n, in] · W + b → [n, out], row-major heap arrays. */
    private float[] denseForward(Dense d, float[] input, int n) {
        float[] w = weights(d);
        float[] result = new float[n * d.out()];
        for (int r = 0; r < n; r++) {
            thetaValues.get((int) d.bias(), result, r * d.out(), d.out());
            for (int i = 0; i < d.in(); i++) {
                float x = input[r * d.in() + i];
                for (int o = 0; o < d.out(); o++) {
                    result[r * d.out() + o] += x * w[i * d.out() + o];
                }
            }
        }
        return result;
    }

    /** The parameter gradients of a dense layer for output gradient dOut, and its input gradient added into dInput. */
    private void denseBackward(Dense d, float[] input, float[] dOut, float[] dInput, Gradient gradient) {
        int n = dOut.length / d.out();
        double[] db = new double[d.out()];
        double[] dw = new double[d.in() * d.out()];
        float[] w = weights(d);
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < d.out(); o++) {
                db[o] += dOut[r * d.out() + o];
            }
            for (int i = 0; i < d.in(); i++) {
                double x = input[r * d.in() + i];
                float sum = 0;
                for (int o = 0; o < d.out(); o++) {
                    dw[i * d.out() + o] += x * dOut[r * d.out() + o];
                    sum += dOut[r * d.out() + o] * w[i * d.out() + o];
                }
                if (dInput != null) {
                    dInput[r * d.in() + i] += sum;
                }
            }
        }
        for (int o = 0; o < d.out(); o++) {
            gradient.add(d.bias() + o, db[o]);
        }
        for (int k = 0; k < dw.length; k++) {
            gradient.add(d.weights() + k, dw[k]);
        }
    }

    private float[] weights(Dense d) {
        float[] w = new float[d.in() * d.out()];
        thetaValues.get((int) d.weights(), w);
        return w;
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

    /** See {@link PlanarKernels#finish}, over all positions of {@code src} on the native threads. */
    private void finish(Planes src, Planes dst, Planes add, Planes sig, float[] bias, float[] e, int level) {
        float[] mask = masks[level];
        FusedKernels.inParts(src.positions(), src.channels(),
                (from, to) -> PlanarKernels.finish(src, dst, add, sig, bias, e, mask, from, to));
    }

    /** g ← g·swish′ for positions [from, to), from the sigmoid s and output a (see {@link VectorKernels#swishBackward}). */
    private static void swishBackward(Planes g, Planes s, Planes a, int from, int to) {
        VectorKernels.swishBackward(g.bytes(), g.index(from), s.bytes(), s.index(from), a.bytes(), a.index(from),
                (to - from) * g.channels());
    }

    /** A finish of y (see {@link PlanarKernels#finish}) as a block epilogue for {@link #convolve}. */
    private FusedKernels.RowRange finishing(Planes y, Planes add, Planes sig, float[] bias, float[] e, int level) {
        float[] mask = masks[level];
        return (from, to) -> PlanarKernels.finish(y, y, add, sig, bias, e, mask, from, to);
    }

    /** x [N, C, H, W] into the maps' image pixels; the padding is written as zeros. */
    private static void write(INDArray x, Planes planes) {
        float[] values = Tensors.floats(x);
        Planes.Geometry g = planes.geometry();
        int channels = planes.channels();
        float[] data = new float[planes.length()];
        for (int image = 0; image < planes.batch(); image++) {
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < g.height(); y++) {
                    for (int xx = 0; xx < g.width(); xx++) {
                        data[(image * g.plane() + g.at(y, xx)) * channels + c] =
                                values[((image * channels + c) * g.height() + y) * g.width() + xx];
                    }
                }
            }
        }
        planes.floats().put(planes.index(0), data);
    }

    /** The maps' image pixels as [N, C, H, W]. */
    private static INDArray read(Planes planes, int n) {
        Planes.Geometry g = planes.geometry();
        int channels = planes.channels();
        float[] data = new float[planes.length()];
        planes.floats().get(planes.index(0), data);
        float[] values = new float[n * channels * g.height() * g.width()];
        for (int image = 0; image < n; image++) {
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < g.height(); y++) {
                    for (int xx = 0; xx < g.width(); xx++) {
                        values[((image * channels + c) * g.height() + y) * g.width() + xx] =
                                data[(image * g.plane() + g.at(y, xx)) * channels + c];
                    }
                }
            }
        }
        return Tensors.array(values, DataType.FLOAT, n, channels, g.height(), g.width());
    }
}
