package org.score4j.models.ncsn;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.nn.Gradients;
import org.score4j.nn.Layer;
import org.score4j.nn.Planes;
import org.score4j.nn.Weights;
import org.score4j.nn.cpu.FusedKernels;
import org.score4j.nn.cpu.MatrixProducts;
import org.score4j.nn.cpu.OneDnn;
import org.score4j.nn.cpu.PlanarKernels;
import org.score4j.nn.layers.Convolution;
import org.score4j.nn.layers.Dense;
import org.score4j.nn.layers.GroupNorm;
import org.score4j.nn.layers.Swish;

/**
 * The U-Net of {@link NcsnUnet} on score4j's CPU engine: its wiring of the engine's layers ({@link Convolution},
 * {@link Swish}, {@link Dense}, {@link GroupNorm}, {@link org.score4j.nn.layers.SelfAttention}) in
 * {@link ResidualBlock}s and {@link AttentionBlock}s. Feature maps are {@link Planes} in blocks of 16 channels where
 * every width divides into them (the convolutions then run Winograd's algorithm), else NHWC; the image's maps, in and
 * out, are NHWC. Every map and every layer's activations are allocated once per batch size, in a typed {@link Pass},
 * and reused. The same network as {@link UnetGraph} (tested against it), without SameDiff's per-op overhead and
 * per-step garbage. The input gradient is the first convolution's data gradient, at the end of a backward pass that
 * skips the parameter gradients.
 */
final class DirectUnet implements UnetNetwork {
    /** A residual block and the attention block after it, where its level has attention. */
    private record Stage(ResidualBlock block, AttentionBlock attention) {
    }

    private final UnetArchitecture architecture;
    private final UnetParameters parameters = new UnetParameters();
    private final int imageChannels;
    private final int features;
    private final Planes.Geometry[] geometries;
    /** Whether every width divides into blocks of 16 channels, so the maps inside are kept that way. */
    private final boolean blocked;
    private final Dense sigma;
    private final Swish embeddingSwish;
    private final Convolution in;
    private final List<List<Stage>> down = new ArrayList<>();
    private final List<Convolution> downsample = new ArrayList<>();
    private final Stage middle;
    private final Stage[] up;
    private final Convolution[] upsample;
    private final GroupNorm outNorm;
    private final Swish outSwish;
    private final Convolution out;

    private INDArray theta;
    private Weights weights;
    /** The maps and activations for the current batch size, or null. */
    private Pass pass;

    /** The arrays of the last forward pass, by identity. */
    private INDArray lastX;
    private INDArray lastFeatures;
    private Weights lastWeights;
    private long lastVersion;

    /** Whether this JVM and backend can run it: the vector API, oneDNN's natives, and the CPU backend. */
    static boolean usable() {
        return FusedKernels.available() && MatrixProducts.directAvailable() && OneDnn.available();
    }

    /** @param features σ features per example (with the label slots of a conditional network) */
    DirectUnet(UnetArchitecture architecture, long[] exampleShape, int features) {
        this.architecture = architecture;
        this.imageChannels = (int) exampleShape[0];
        this.features = features;
        int levels = architecture.levels();
        blocked = architecture.blocked();
        geometries = new Planes.Geometry[levels];
        for (int level = 0; level < levels; level++) {
            geometries[level] = new Planes.Geometry((int) exampleShape[1] >> level, (int) exampleShape[2] >> level);
        }
        int e = architecture.embeddingWidth();
        sigma = architecture.conditioned() ? new Dense(parameters.dense("sigma", features, e), features, e) : null;
        embeddingSwish = architecture.conditioned() ? new Swish(e, Planes.Geometry.POINT) : null;
        in = conv("in", imageChannels, architecture.width(0), 3, 1, 1.0, 0, false, true);
        for (int level = 0; level < levels; level++) {
            int w = architecture.width(level);
            List<Stage> blocks = new ArrayList<>();
            for (int b = 0; b < architecture.blocks(); b++) {
                blocks.add(stage("down" + level + "." + b, level, b == 0 && level > 0 ? architecture.width(level - 1)
                        : w, w, exampleShape));
            }
            down.add(blocks);
            if (level < levels - 1) {
                downsample.add(conv("downsample" + level, w, w, 3, 2, 1.0, level, true, true));
            }
        }
        int top = architecture.width(levels - 1);
        middle = stage("middle", levels - 1, top, top, exampleShape);
        up = new Stage[levels];
        upsample = new Convolution[levels];
        for (int level = levels - 1; level >= 0; level--) {
            int w = architecture.width(level);
            up[level] = stage("up" + level, level, 2 * w, w, exampleShape);
            if (level > 0) {
                upsample[level] = conv("upsample" + level, w, architecture.width(level - 1), 3, 1, 1.0, level - 1,
                        true, true);
            }
        }
        int w0 = architecture.width(0);
        outNorm = architecture.normalised() ? new GroupNorm(parameters.groupNorm("out.norm", w0), w0,
                architecture.groups()) : null;
        outSwish = new Swish(w0, geometries[0]);
        out = conv("out", w0, imageChannels, 3, 1, 0, 0, true, false);
    }

    private Stage stage(String name, int level, int channelsIn, int channelsOut, long[] shape) {
        ResidualBlock block = new ResidualBlock(parameters, architecture, name, level, channelsIn, channelsOut,
                geometries[level], blocked);
        AttentionBlock attention = architecture.attends(level, shape) ? new AttentionBlock(parameters, architecture,
                name, channelsOut, geometries[level], blocked) : null;
        return new Stage(block, attention);
    }

    /**
     * A convolution whose input lies at {@code level}; {@code inside} and {@code insideOut} say whether its input and
     * output are maps inside the network (in blocks where the network keeps them so) rather than the image's (NHWC).
     */
    private Convolution conv(String name, int channelsIn, int channelsOut, int k, int stride, double scale, int level,
                             boolean inside, boolean insideOut) {
        Planes.Geometry g = geometries[level];
        long outputPixels = (long) g.plane() / ((long) stride * stride);
        return new Convolution(parameters.convolution(name, channelsIn, channelsOut, k, scale, outputPixels), channelsIn,
                channelsOut, k, stride, g, inside && inBlocks(channelsIn), insideOut && inBlocks(channelsOut));
    }

    private boolean inBlocks(int channels) {
        return blocked && channels % Planes.BLOCK == 0;
    }

    @Override
    public UnetParameters parameters() {
        return parameters;
    }

    @Override
    public void load(INDArray flat) {
        if (flat.length() != parameters.size()) {
            throw new IllegalArgumentException("ncsn-unet has " + parameters.size() + " parameters, got " + flat.length());
        }
        theta = flat.dataType() == DataType.FLOAT && flat.elementWiseStride() == 1 ? flat
                : flat.castTo(DataType.FLOAT).dup('c');
        // New weights: the convolutions reorder their kernels from them at their next pass.
        weights = Weights.of(theta);
    }

    @Override
    public INDArray output(INDArray x, INDArray sigmaFeatures) {
        return forward(x, sigmaFeatures).read();
    }

    /** {@inheritDoc} The forward pass of the last {@link #output} is reused when it had these very arrays. */
    @Override
    public void gradient(INDArray x, INDArray sigmaFeatures, INDArray g, INDArray into) {
        if (into.length() != parameters.size() || !ParameterVectors.isDense(into)) {
            throw new IllegalArgumentException("expected a dense float gradient of " + parameters.size() + " values, got "
                    + into.shapeInfoToString());
        }
        forwardUnlessDone(x, sigmaFeatures);
        Gradients gradients = Gradients.into(into);
        gradients.zero();
        backward(g, gradients, null);
    }

    /** {@inheritDoc} The forward pass of the last {@link #output} is reused when it had these very arrays. */
    @Override
    public INDArray inputGradient(INDArray x, INDArray sigmaFeatures, INDArray g) {
        forwardUnlessDone(x, sigmaFeatures);
        backward(g, null, pass.dx);
        return pass.dx.read();
    }

    private void forwardUnlessDone(INDArray x, INDArray sigmaFeatures) {
        if (x != lastX || sigmaFeatures != lastFeatures || weights != lastWeights || weights.version() != lastVersion) {
            forward(x, sigmaFeatures);
        }
    }

    /** Floats that the maps and the layers' activations of the current batch size hold (for the footprint's test). */
    long workFloats() {
        return pass == null ? 0 : pass.floats();
    }

    // ---------------------------------------------------------------------------------------------- forward

    /** Runs the network, keeping what the backward pass needs; returns the output maps. */
    private Planes forward(INDArray x, INDArray sigmaFeatures) {
        if (theta == null) {
            throw new IllegalStateException("no parameters loaded");
        }
        int n = (int) x.size(0);
        if (pass == null || pass.batch != n) {
            if (pass != null) {
                pass.release();
            }
            pass = new Pass(n);
        }
        Pass p = pass;
        lastX = x;
        lastFeatures = sigmaFeatures;
        lastWeights = weights;
        lastVersion = weights.version();
        Weights w = weights;
        p.x.write(x);
        if (sigma != null) {
            p.features.write(sigmaFeatures);
            sigma.forward(w, p.features, p.embeddingPre, p.sigma);
            embeddingSwish.forward(w, p.embeddingPre, p.embedding, p.embeddingSwish);
        }
        in.forward(w, p.x, p.inY, p.in);
        Planes h = p.inY;
        int levels = architecture.levels();
        for (int level = 0; level < levels; level++) {
            List<Stage> blocks = down.get(level);
            for (int b = 0; b < blocks.size(); b++) {
                h = stageForward(blocks.get(b), h, p.down[level][b]);
            }
            p.skips[level] = h;
            if (level < levels - 1) {
                downsample.get(level).forward(w, h, p.downY[level], p.downsample[level]);
                h = p.downY[level];
            }
        }
        h = stageForward(middle, h, p.middle);
        for (int level = levels - 1; level >= 0; level--) {
            concat(h, p.skips[level], p.cat[level], true);
            h = stageForward(up[level], p.cat[level], p.up[level]);
            if (level > 0) {
                upsample(h, p.upsampled[level], true);
                upsample[level].forward(w, p.upsampled[level], p.upY[level], p.upsample[level]);
                h = p.upY[level];
            }
        }
        Planes pre = h;
        if (outNorm != null) {
            outNorm.forward(w, h, p.outN, p.outNorm);
            pre = p.outN;
        }
        outSwish.forward(w, pre, p.outA, p.outSwish);
        out.forward(w, p.outA, p.y, p.out);
        return p.y;
    }

    private Planes stageForward(Stage s, Planes h, StageActivations a) {
        Planes y = s.block().forward(weights, h, pass.embedding, a.block());
        return s.attention() == null ? y : s.attention().forward(weights, y, a.attention());
    }

    // ---------------------------------------------------------------------------------------------- backward

    /**
     * Back from output gradient g: the parameter gradients into {@code gradients} unless it is null, the input
     * gradient into {@code dInput} unless it is null.
     */
    private void backward(INDArray g, Gradients gradients, Planes dInput) {
        Pass p = pass;
        Weights w = weights;
        int levels = architecture.levels();
        boolean embedding = sigma != null && gradients != null;
        if (embedding) {
            org.bytedeco.javacpp.Pointer.memset(p.dEmbedding.pointer(), 0, 4L * p.dEmbedding.length());
        }
        p.dy.write(g);
        out.backward(w, p.out, p.dy, p.outDa, gradients);
        outSwish.backward(w, p.outSwish, p.outDa, p.outDa, null);
        if (outNorm != null) {
            outNorm.backward(w, p.outNorm, p.outDa, p.outDa, gradients);
        }
        Planes d = p.outDa;
        for (int level = 0; level < levels; level++) {
            if (level > 0) {
                upsample[level].backward(w, p.upsample[level], d, p.du[level], gradients);
                upsample(p.upDh[level], p.du[level], false);
                d = p.upDh[level];
            }
            Planes dcat = stageBackward(up[level], d, gradients, p.up[level]);
            concat(p.catDh[level], p.catDskip[level], dcat, false);
            d = p.catDh[level];
        }
        d = stageBackward(middle, d, gradients, p.middle);
        for (int level = levels - 1; level >= 0; level--) {
            if (level < levels - 1) {
                downsample.get(level).backward(w, p.downsample[level], d, p.downDx[level], gradients);
                d = p.downDx[level];
            }
            finish(d, d, p.catDskip[level]);
            List<Stage> blocks = down.get(level);
            for (int b = blocks.size() - 1; b >= 0; b--) {
                d = stageBackward(blocks.get(b), d, gradients, p.down[level][b]);
            }
        }
        in.backward(w, p.in, d, dInput, gradients);
        if (embedding) {
            embeddingSwish.backward(w, p.embeddingSwish, p.dEmbedding, p.dEmbedding, null);
            sigma.backward(w, p.sigma, p.dEmbedding, null, gradients);
        }
    }

    private Planes stageBackward(Stage s, Planes dy, Gradients gradients, StageActivations a) {
        Planes d = s.attention() == null ? dy : s.attention().backward(weights, dy, gradients, a.attention());
        return s.block().backward(weights, d, gradients, pass.dEmbedding, pass.dEmbeddingPart, a.block());
    }

    // ---------------------------------------------------------------------------------------------- passes

    /** big ← small repeated 2×2 (nearest-neighbour upsampling) when {@code up}, else small ← its gradient. */
    private static void upsample(Planes small, Planes big, boolean up) {
        FusedKernels.inParts(big.chunks(), big.chunkLength(),
                (from, to) -> PlanarKernels.upsample(small, big, up, from, to));
    }

    /** joined ← (first, second) along channels when {@code join}, else the reverse. */
    private static void concat(Planes first, Planes second, Planes joined, boolean join) {
        FusedKernels.inParts(joined.batch(), joined.geometry().plane() * joined.channels(),
                (from, to) -> PlanarKernels.concat(first, second, joined, join, from, to));
    }

    /** dst ← src + add (see {@link PlanarKernels#finish}), over all chunks on score4j's threads. */
    private static void finish(Planes src, Planes dst, Planes add) {
        FusedKernels.inParts(src.chunks(), src.chunkLength(),
                (from, to) -> PlanarKernels.finish(src, dst, add, null, from, to));
    }

    // ---------------------------------------------------------------------------------------------- activations

    /** A stage's activations: its block's, and its attention block's where it has one. */
    private record StageActivations(ResidualBlock.Activations block, AttentionBlock.Activations attention) {
        long floats() {
            return block.floats() + (attention == null ? 0 : attention.floats());
        }

        void release() {
            block.release();
            if (attention != null) {
                attention.release();
            }
        }
    }

    /**
     * Everything a pass of one batch size works in: the network's own maps (input, output, concatenations,
     * upsampling, the σ rows and their gradients), each stage's and each layer's activations.
     */
    private final class Pass {
        private final int batch;
        private final Planes x;
        private final Planes dx;
        private final Planes y;
        private final Planes dy;
        private final Planes inY;
        private final Planes outA;
        private final Planes outDa;
        private final Planes outN;
        private final Planes features;
        private final Planes embeddingPre;
        private final Planes embedding;
        private final Planes dEmbedding;
        private final Planes dEmbeddingPart;
        private final Planes[] skips;
        private final Planes[] downY;
        private final Planes[] downDx;
        private final Planes[] cat;
        private final Planes[] catDh;
        private final Planes[] catDskip;
        private final Planes[] upsampled;
        private final Planes[] upY;
        private final Planes[] du;
        private final Planes[] upDh;
        private final StageActivations[][] down;
        private final StageActivations middle;
        private final StageActivations[] up;
        private final Layer.Activations[] layers;
        private final Convolution.Activations in;
        private final Convolution.Activations out;
        private final Convolution.Activations[] downsample;
        private final Convolution.Activations[] upsample;
        private final Dense.Activations sigma;
        private final Swish.Activations embeddingSwish;
        private final Swish.Activations outSwish;
        private final GroupNorm.Activations outNorm;
        private final List<Planes> maps = new ArrayList<>();

        Pass(int n) {
            this.batch = n;
            int levels = architecture.levels();
            int w0 = architecture.width(0);
            x = image(n);
            dx = image(n);
            y = image(n);
            dy = image(n);
            inY = maps(w0, 0);
            outA = maps(w0, 0);
            outDa = maps(w0, 0);
            outN = DirectUnet.this.outNorm != null ? maps(w0, 0) : null;
            int e = architecture.embeddingWidth();
            boolean conditioned = DirectUnet.this.sigma != null;
            features = conditioned ? rows(features(), n) : null;
            embeddingPre = conditioned ? rows(e, n) : null;
            embedding = conditioned ? rows(e, n) : null;
            dEmbedding = conditioned ? rows(e, n) : null;
            dEmbeddingPart = conditioned ? rows(e, n) : null;
            skips = new Planes[levels];
            downY = new Planes[levels];
            downDx = new Planes[levels];
            cat = new Planes[levels];
            catDh = new Planes[levels];
            catDskip = new Planes[levels];
            upsampled = new Planes[levels];
            upY = new Planes[levels];
            du = new Planes[levels];
            upDh = new Planes[levels];
            down = new StageActivations[levels][];
            up = new StageActivations[levels];
            downsample = new Convolution.Activations[levels];
            upsample = new Convolution.Activations[levels];
            for (int level = 0; level < levels; level++) {
                int w = architecture.width(level);
                down[level] = DirectUnet.this.down.get(level).stream().map(s -> stage(s, n))
                        .toArray(StageActivations[]::new);
                if (level < levels - 1) {
                    downY[level] = maps(w, level + 1);
                    downDx[level] = maps(w, level);
                    downsample[level] = DirectUnet.this.downsample.get(level).activations(n);
                }
                cat[level] = maps(2 * w, level);
                catDh[level] = maps(w, level);
                catDskip[level] = maps(w, level);
                up[level] = stage(DirectUnet.this.up[level], n);
                if (level > 0) {
                    upsampled[level] = maps(w, level - 1);
                    upY[level] = maps(architecture.width(level - 1), level - 1);
                    du[level] = maps(w, level - 1);
                    upDh[level] = maps(w, level);
                    upsample[level] = DirectUnet.this.upsample[level].activations(n);
                }
            }
            middle = stage(DirectUnet.this.middle, n);
            in = DirectUnet.this.in.activations(n);
            out = DirectUnet.this.out.activations(n);
            sigma = conditioned ? DirectUnet.this.sigma.activations(n) : null;
            embeddingSwish = conditioned ? DirectUnet.this.embeddingSwish.activations(n) : null;
            outSwish = DirectUnet.this.outSwish.activations(n);
            outNorm = DirectUnet.this.outNorm != null ? DirectUnet.this.outNorm.activations(n) : null;
            List<Layer.Activations> all = new ArrayList<>(List.of(in, out, outSwish));
            for (Layer.Activations a : new Layer.Activations[] {sigma, embeddingSwish, outNorm}) {
                if (a != null) {
                    all.add(a);
                }
            }
            for (int level = 0; level < levels; level++) {
                if (downsample[level] != null) {
                    all.add(downsample[level]);
                }
                if (upsample[level] != null) {
                    all.add(upsample[level]);
                }
            }
            layers = all.toArray(Layer.Activations[]::new);
        }

        private int features() {
            return DirectUnet.this.features;
        }

        private StageActivations stage(Stage s, int n) {
            return new StageActivations(s.block().activations(n),
                    s.attention() == null ? null : s.attention().activations(n));
        }

        private Planes image(int n) {
            return keep(Planes.allocate(imageChannels, imageChannels, n, geometries[0]));
        }

        private Planes maps(int channels, int level) {
            return keep(Planes.allocate(channels, blocked, batch, geometries[level]));
        }

        private Planes rows(int width, int n) {
            return keep(Planes.allocate(width, width, n, Planes.Geometry.POINT));
        }

        private Planes keep(Planes p) {
            maps.add(p);
            return p;
        }

        private List<StageActivations> stages() {
            List<StageActivations> all = new ArrayList<>();
            for (StageActivations[] level : down) {
                all.addAll(List.of(level));
            }
            all.add(middle);
            all.addAll(List.of(up));
            return all;
        }

        long floats() {
            long total = maps.stream().mapToLong(Planes::length).sum();
            total += stages().stream().mapToLong(StageActivations::floats).sum();
            for (Layer.Activations a : layers) {
                total += a.floats();
            }
            return total;
        }

        void release() {
            maps.forEach(Planes::release);
            stages().forEach(StageActivations::release);
            for (Layer.Activations a : layers) {
                a.release();
            }
        }
    }
}
