package org.score4j.models.ncsn;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.tensors.Tensors;
import org.score4j.nn.cpu.FusedKernels;
import org.score4j.nn.cpu.NativeArrays;

/**
 * The U-Net of {@link NcsnUnet} computed on the JVM and oneDNN: feature maps are {@link Planes}, in blocks of 16
 * channels where every width divides into them (the convolutions then run Winograd's algorithm), else NHWC; each
 * convolution (output with bias, input gradient, weight and bias gradients) is a oneDNN primitive built once per
 * batch size ({@link OneDnnConvolution}), swish and its derivative are oneDNN's too ({@link OneDnnSwish}, from the
 * kept pre-activation), the rest of the elementwise work (σ bias, residual sums, per-image sums, concatenation,
 * upsampling) runs as vector-API passes ({@link PlanarKernels}) split over score4j's threads, and every work array is
 * allocated once per batch size and reused. The same network as {@link UnetGraph} (tested against it), without
 * SameDiff's per-op overhead and per-step garbage. The input gradient is the first convolution's data gradient, one
 * more oneDNN primitive call at the end of a backward pass that skips the parameter gradients.
 */
final class DirectUnet implements UnetNetwork {
    /** A convolution whose output is at resolution {@code level}. */
    private record Conv(long weights, long bias, int in, int out, int k, int stride, int level) {
    }

    private record Dense(long weights, long bias, int in, int out) {
    }

    private record Block(String name, int level, Conv conv1, Dense sigma, Conv conv2, Conv skip) {
    }

    private final UnetArchitecture architecture;
    private final UnetParameters parameters = new UnetParameters();
    private final int imageChannels;
    private final Planes.Geometry[] geometries;
    /** Whether every width divides into blocks of 16 channels, so the maps inside are kept that way. */
    private final boolean blocked;
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
    private FloatPointer thetaPointer;
    private FloatBuffer thetaValues;

    private int batch = -1;
    private final Map<String, Planes> work = new HashMap<>();
    private final stream stream = new stream(OneDnn.engine());
    /** Each convolution's primitives for the current batch size. */
    private final Map<Conv, OneDnnConvolution> primitives = new HashMap<>();
    /** oneDNN's swish by map size, for the current batch size. */
    private final Map<String, OneDnnSwish> swishes = new HashMap<>();
    /** The pre-activation of the output convolution's swish in the last forward pass. */
    private Planes outputPre;
    /** Whether the primitives have the kernels of the loaded parameters. */
    private boolean kernelsLoaded;

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

    /** Whether this JVM and backend can run it: the vector API, oneDNN's natives, and the CPU backend. */
    static boolean usable() {
        return FusedKernels.available() && MatrixProducts.directAvailable() && OneDnn.available();
    }

    /** @param features σ features per example (with the label slots of a conditional network) */
    DirectUnet(UnetArchitecture architecture, long[] exampleShape, int features) {
        this.architecture = architecture;
        this.imageChannels = (int) exampleShape[0];
        int levels = architecture.levels();
        blocked = java.util.stream.IntStream.range(0, levels).allMatch(level -> architecture.width(level) % 16 == 0);
        geometries = new Planes.Geometry[levels];
        for (int level = 0; level < levels; level++) {
            geometries[level] = new Planes.Geometry((int) exampleShape[1] >> level, (int) exampleShape[2] >> level);
        }
        sigma = architecture.conditioned() ? dense("sigma", features, architecture.embeddingWidth()) : null;
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
        Dense bias = sigma != null ? dense(name + ".sigma", architecture.embeddingWidth(), channelsOut) : null;
        Conv conv2 = conv(name + ".conv2", channelsOut, channelsOut, 3, 1, 0.1, level);
        Conv skip = channelsIn == channelsOut ? null : conv(name + ".skip", channelsIn, channelsOut, 1, 1, 1.0, level);
        return new Block(name, level, conv1, bias, conv2, skip);
    }

    /** A convolution whose output lies at {@code level}. */
    private Conv conv(String name, int channelsIn, int channelsOut, int k, int stride, double scale, int level) {
        Planes.Geometry g = geometries[level];
        long[] at = parameters.convolution(name, channelsIn, channelsOut, k, scale, (long) g.height() * g.width());
        Conv conv = new Conv(at[0], at[1], channelsIn, channelsOut, k, stride, level);
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
        kernelsLoaded = false;
    }

    @Override
    public INDArray output(INDArray x, INDArray sigmaFeatures) {
        return read(forward(x, sigmaFeatures), (int) x.size(0));
    }

    /** {@inheritDoc} The forward pass of the last {@link #output} is reused when it had these very arrays. */
    @Override
    public void gradient(INDArray x, INDArray sigmaFeatures, INDArray g, INDArray into) {
        if (into.length() != parameters.size() || !ParameterVectors.isDense(into)) {
            throw new IllegalArgumentException("expected a dense float gradient of " + parameters.size() + " values, got "
                    + into.shapeInfoToString());
        }
        forwardUnlessDone(x, sigmaFeatures);
        org.bytedeco.javacpp.Pointer.memset(NativeArrays.pointer(into), 0, 4 * into.length());
        backward(g, new Gradient(NativeArrays.bytes(into).asFloatBuffer()), null);
    }

    /** {@inheritDoc} The forward pass of the last {@link #output} is reused when it had these very arrays. */
    @Override
    public INDArray inputGradient(INDArray x, INDArray sigmaFeatures, INDArray g) {
        forwardUnlessDone(x, sigmaFeatures);
        Planes dx = imagePlanes("x.dx");
        backward(g, null, dx);
        return read(dx, batch);
    }

    private void forwardUnlessDone(INDArray x, INDArray sigmaFeatures) {
        if (x != lastX || sigmaFeatures != lastFeatures || theta != lastTheta) {
            forward(x, sigmaFeatures);
        }
    }

    /** Floats in the work maps allocated so far (for the footprint's test). */
    long workFloats() {
        return work.values().stream().mapToLong(Planes::length).sum();
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
        input = imagePlanes("x");
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
        convolve(in, input, h, null);
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
                convolve(d, h, y, null);
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
                convolve(c, u, y, null);
                h = y;
            }
        }
        Planes a = planes("out.a", out.in(), 0);
        swish(h, a);
        outputPre = h;
        Planes y = imagePlanes("out.y");
        convolve(out, a, y, null);
        return y;
    }

    private Planes blockForward(Block b, Planes h) {
        blockInputs.put(b, h);
        int level = b.level();
        Planes a0 = planes(b.name() + ".a0", b.conv1().in(), level);
        swish(h, a0);
        Planes a1 = planes(b.name() + ".a1", b.conv1().out(), level);
        Planes v1 = planes(b.name() + ".v1", b.conv1().out(), level);
        float[] e = b.sigma() == null ? null : denseForward(b.sigma(), embedding, batch);
        convolve(b.conv1(), a0, v1, e == null ? null : finishing(v1, null, e));
        swish(v1, a1);
        Planes add = h;
        if (b.skip() != null) {
            add = planes(b.name() + ".skip", b.skip().out(), level);
            convolve(b.skip(), h, add, null);
        }
        Planes y = planes(b.name() + ".y", b.conv2().out(), level);
        convolve(b.conv2(), a1, y, finishing(y, add, null));
        return y;
    }

    // ---------------------------------------------------------------------------------------------- backward

    /**
     * Back from output gradient g: the parameter gradients into {@code gradient} unless it is null, the input gradient
     * into {@code dInput} unless it is null.
     */
    private void backward(INDArray g, Gradient gradient, Planes dInput) {
        int levels = architecture.levels();
        embeddingGradient = sigma == null || gradient == null ? null : new float[embedding.length];
        Planes dy = imagePlanes("out.dy");
        write(g, dy);
        Planes da = planes("out.da", out.in(), 0);
        convBackward(out, planes("out.a", out.in(), 0), dy, da, outputPre, false, gradient);
        Planes d = da;
        Planes[] skipGradients = new Planes[levels];
        for (int level = 0; level < levels; level++) {
            int w = architecture.width(level);
            if (level > 0) {
                Planes du = planes("upsample" + level + ".du", w, level - 1);
                convBackward(upsample[level], upsampled[level], d, du, null, false, gradient);
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
                convBackward(c, skips[level], d, dx, null, false, gradient);
                d = dx;
            }
            finish(d, d, skipGradients[level]);
            List<Block> blocks = down.get(level);
            for (int b = blocks.size() - 1; b >= 0; b--) {
                d = blockBackward(blocks.get(b), d, gradient);
            }
        }
        convBackward(in, input, d, dInput, null, false, gradient);
        if (sigma != null && gradient != null) {
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
        convBackward(b.conv2(), a1, dy, da1, planes(b.name() + ".v1", b.conv1().out(), level), false, gradient);
        boolean conditioned = b.sigma() != null && gradient != null;
        double[] sums = convBackward(b.conv1(), a0, da1, null, null, conditioned, gradient);
        if (conditioned) {
            int channels = b.conv1().out();
            float[] de = new float[batch * channels];
            for (int i = 0; i < de.length; i++) {
                de[i] = (float) sums[i];
            }
            denseBackward(b.sigma(), embedding, de, embeddingGradient, gradient);
        }
        Planes da0 = planes(b.name() + ".da0", b.conv1().in(), level);
        inputGradient(b.conv1(), da1, da0, h);
        Planes residual = dy;
        if (b.skip() != null) {
            residual = planes(b.name() + ".skip.dx", b.skip().in(), level);
            convBackward(b.skip(), h, dy, residual, null, false, gradient);
        }
        finish(da0, da0, residual);
        return da0;
    }

    // ---------------------------------------------------------------------------------------------- convolutions

    /** y ← conv(x) + bias, then {@code after} over y's chunks on score4j's threads (null: nothing). */
    private void convolve(Conv c, Planes x, Planes y, FusedKernels.RowRange after) {
        primitives.get(c).forward(x, y, thetaPointer.getPointer(c.bias()));
        if (after != null) {
            FusedKernels.inParts(y.chunks(), y.chunkLength(), after);
        }
    }

    /**
     * Adds the weight and bias gradients of a convolution given the gradient dz of its output (unless
     * {@code gradient} is null), and writes the input gradient into {@code dx} unless null, back through the swish of
     * pre-activation {@code pre} that gave x unless {@code pre} is null. Returns the sums of dz per image and channel,
     * [N, out], where {@code perImage} asks for them (a σ-conditioned bias needs them), else null.
     */
    private double[] convBackward(Conv c, Planes x, Planes dz, Planes dx, Planes pre, boolean perImage,
                                  Gradient gradient) {
        double[] sums = null;
        if (perImage) {
            double[] s = new double[batch * c.out()];
            FusedKernels.inParts(dz.chunks(), dz.chunkLength(), (from, to) -> PlanarKernels.imageSums(dz, s, from, to));
            sums = s;
        }
        if (gradient != null) {
            OneDnnConvolution p = primitives.get(c);
            gradient.addAll(c.weights(), p.weightGradient(x, dz), c.k() * c.k() * c.in() * c.out());
            gradient.addAll(c.bias(), p.biasGradient(), c.out());
        }
        if (dx != null) {
            inputGradient(c, dz, dx, pre);
        }
        return sums;
    }

    /**
     * dx ← the input gradient of a convolution for output gradient dz, then, unless {@code pre} is null, back through
     * the swish of pre-activation {@code pre} (in place, on oneDNN).
     */
    private void inputGradient(Conv c, Planes dz, Planes dx, Planes pre) {
        primitives.get(c).inputGradient(dz, dx);
        if (pre != null) {
            swishOf(dx).backward(pre.pointer(), dx.pointer(), dx.pointer());
        }
    }

    // ---------------------------------------------------------------------------------------------- other layers

    /** big ← small repeated 2×2 (nearest-neighbour upsampling) when {@code up}, else small ← its gradient. */
    private void upsample(Planes small, Planes big, boolean up) {
        FusedKernels.inParts(big.chunks(), big.chunkLength(),
                (from, to) -> PlanarKernels.upsample(small, big, up, from, to));
    }

    /** joined ← (first, second) along channels when {@code join}, else the reverse. */
    private void concat(Planes first, Planes second, Planes joined, boolean join) {
        FusedKernels.inParts(batch, joined.geometry().plane() * joined.channels(),
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
                if (x == 0) {
                    continue; // most label slots
                }
                for (int o = 0; o < d.out(); o++) {
                    result[r * d.out() + o] += x * w[i * d.out() + o];
                }
            }
        }
        return result;
    }

    /**
     * The parameter gradients of a dense layer for output gradient dOut, and its input gradient added into dInput
     * (unless null). Every inner loop runs along contiguous floats without a sum across its iterations, so that the
     * JIT turns it into vector instructions.
     */
    private void denseBackward(Dense d, float[] input, float[] dOut, float[] dInput, Gradient gradient) {
        int n = dOut.length / d.out();
        int in = d.in();
        int out = d.out();
        float[] db = new float[out];
        float[] dw = new float[in * out];
        for (int r = 0; r < n; r++) {
            int row = r * out;
            for (int o = 0; o < out; o++) {
                db[o] += dOut[row + o];
            }
            for (int i = 0; i < in; i++) {
                float x = input[r * in + i];
                if (x == 0) {
                    continue;
                }
                int at = i * out;
                for (int o = 0; o < out; o++) {
                    dw[at + o] += x * dOut[row + o];
                }
            }
        }
        if (dInput != null) {
            float[] w = weights(d);
            float[] transposed = new float[out * in];
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    transposed[o * in + i] = w[i * out + o];
                }
            }
            for (int r = 0; r < n; r++) {
                for (int o = 0; o < out; o++) {
                    float g = dOut[r * out + o];
                    int at = o * in;
                    int into = r * in;
                    for (int i = 0; i < in; i++) {
                        dInput[into + i] += g * transposed[at + i];
                    }
                }
            }
        }
        gradient.addAll(d.bias(), db);
        gradient.addAll(d.weights(), dw);
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

    /** The flat parameter gradient being filled. */
    private record Gradient(FloatBuffer values) {
        /** Adds the first {@code size} values of {@code part} at {@code offset}. */
        void addAll(long offset, FloatPointer part, int size) {
            float[] add = new float[size];
            part.get(add, 0, size);
            addAll(offset, add);
        }

        /** Adds {@code part} at {@code offset}. */
        void addAll(long offset, float[] part) {
            float[] sum = new float[part.length];
            values.get((int) offset, sum);
            for (int i = 0; i < part.length; i++) {
                sum[i] += part[i];
            }
            values.put((int) offset, sum);
        }
    }

    /** Work maps for the current batch, allocated on first use, in this network's layout for their channels. */
    private Planes planes(String name, int channels, int level) {
        return planes(name, channels, block(channels), level);
    }

    /** Work maps of the image's channels at full resolution (the input, the output): always NHWC. */
    private Planes imagePlanes(String name) {
        return planes(name, imageChannels, imageChannels, 0);
    }

    private Planes planes(String name, int channels, int block, int level) {
        return work.computeIfAbsent(name, k -> Planes.allocate(channels, block, batch, geometries[level]));
    }

    /**
     * Channels per block of the maps inside with {@code channels} channels: 16 where this network keeps its maps in
     * blocks, else all (NHWC). The image's maps, in and out, are always NHWC.
     */
    private int block(int channels) {
        return blocked && channels % 16 == 0 ? 16 : channels;
    }

    /** Work maps and primitives for batches of n, and the loaded kernels in the primitives. */
    private void prepare(int n) {
        if (n != batch) {
            work.values().forEach(Planes::release);
            work.clear();
            primitives.clear();
            swishes.clear();
            batch = n;
            for (Conv c : convolutions) {
                // The first convolution reads and the last writes image maps (imagePlanes): NHWC.
                Planes.Geometry input = geometries[c.stride() == 2 ? c.level() - 1 : c.level()];
                primitives.put(c, new OneDnnConvolution(stream, n, c.in(), c != in && block(c.in()) == 16, c.out(),
                        c != out && block(c.out()) == 16, c.k(), c.stride(), input, geometries[c.level()]));
            }
            kernelsLoaded = false;
        }
        if (!kernelsLoaded) {
            for (Conv c : convolutions) {
                primitives.get(c).load(thetaPointer.getPointer(c.weights()));
            }
            kernelsLoaded = true;
        }
        blockInputs.clear();
    }

    /** dst ← src + add (see {@link PlanarKernels#finish}), over all chunks on score4j's threads. */
    private void finish(Planes src, Planes dst, Planes add) {
        FusedKernels.inParts(src.chunks(), src.chunkLength(),
                (from, to) -> PlanarKernels.finish(src, dst, add, null, from, to));
    }

    /** y ← y + add + e[image] (see {@link PlanarKernels#finish}) as the pass after {@link #convolve}. */
    private FusedKernels.RowRange finishing(Planes y, Planes add, float[] e) {
        return (from, to) -> PlanarKernels.finish(y, y, add, e, from, to);
    }

    /** a ← swish(z) on oneDNN; z is kept as the pre-activation the backward pass needs. */
    private void swish(Planes z, Planes a) {
        swishOf(z).forward(z.pointer(), a.pointer());
    }

    /** oneDNN's swish for maps of this size, built once per batch size. */
    private OneDnnSwish swishOf(Planes p) {
        return swishes.computeIfAbsent(p.positions() + "x" + p.channels(),
                k -> new OneDnnSwish(stream, p.positions(), p.channels()));
    }

    /** x [N, C, H, W] into the maps. */
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

    /** The maps as [N, C, H, W]. */
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
