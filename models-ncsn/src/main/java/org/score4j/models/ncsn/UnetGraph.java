package org.score4j.models.ncsn;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.score4j.nn.ParameterLayout;
import org.score4j.nn.layers.Convolution;
import org.score4j.nn.layers.Dense;
import org.score4j.nn.layers.GroupNorm;
import org.score4j.nn.layers.SelfAttention;
import org.score4j.nn.samediff.SameDiffLayers;

/**
 * The U-Net of {@link NcsnUnet} as a SameDiff graph, NCHW: the implementation for backends other than the CPU and
 * JVMs without the vector API, and the reference {@link DirectUnet} is tested against.
 *
 * <p>SameDiff rather than DL4J's layer API because its convolutions run on oneDNN and DL4J's layers' do not (the
 * measurement is in docs/speed.md, "SameDiff against DL4J's layers"). The external
 * score gradient g enters as the loss Σ out ⊙ g, whose parameter and input gradients are the vector–Jacobian
 * products. Each layer is the engine's SameDiff expression of it ({@link SameDiffLayers}) on parameters declared by
 * the engine's layer, so both networks share one layout.
 */
final class UnetGraph implements UnetNetwork {
    private static final String X = "x";
    private static final String SIGMA = "sigma-features";
    private static final String G = "g";
    private static final String OUT = "out";

    private final SameDiff sd = SameDiff.create();
    private final UnetParameters parameters = new UnetParameters();
    private final UnetArchitecture architecture;
    private final boolean conditioned;
    private final long[] exampleShape;
    /** The level of the maps being built. */
    private int level;

    /** @param features σ features per example (with the label slots of a conditional network) */
    UnetGraph(UnetArchitecture architecture, long[] exampleShape, int features) {
        this.architecture = architecture;
        this.conditioned = architecture.conditioned();
        this.exampleShape = exampleShape.clone();
        int in = (int) exampleShape[0];
        SDVariable x = sd.placeHolder(X, DataType.FLOAT, -1, in, exampleShape[1], exampleShape[2]);
        SDVariable embedding = null;
        if (conditioned) {
            SDVariable sigmaFeatures = sd.placeHolder(SIGMA, DataType.FLOAT, -1, features);
            embedding = swish(dense("sigma", sigmaFeatures, features, architecture.embeddingWidth()));
        }
        SDVariable h = conv("in", x, in, architecture.width(0), 3, 1, 1.0);
        Deque<SDVariable> skips = new ArrayDeque<>();
        int levels = architecture.levels();
        for (level = 0; level < levels; level++) {
            int w = architecture.width(level);
            for (int b = 0; b < architecture.blocks(); b++) {
                String name = "down" + level + "." + b;
                h = attention(name, residual(name, h, b == 0 && level > 0 ? architecture.width(level - 1) : w, w,
                        embedding), w);
            }
            skips.push(h);
            if (level < levels - 1) {
                h = conv("downsample" + level, h, w, w, 3, 2, 1.0);
            }
        }
        level = levels - 1;
        int top = architecture.width(level);
        h = attention("middle", residual("middle", h, top, top, embedding), top);
        for (level = levels - 1; level >= 0; level--) {
            int w = architecture.width(level);
            h = sd.concat(1, h, skips.pop());
            h = attention("up" + level, residual("up" + level, h, 2 * w, w, embedding), w);
            if (level > 0) {
                h = sd.cnn.upsampling2d(h, 2, 2, true);
                level--;
                h = conv("upsample" + (level + 1), h, w, architecture.width(level), 3, 1, 1.0);
                level++;
            }
        }
        level = 0;
        SDVariable out = conv("out", swish(norm("out.norm", h, architecture.width(0))), architecture.width(0), in, 3, 1,
                0);
        sd.identity(OUT, out);
        SDVariable g = sd.placeHolder(G, DataType.FLOAT, -1, in, exampleShape[1], exampleShape[2]);
        out.mul(g).sum().markAsLoss();
        buildGradientQuietly();
    }

    /**
     * The gradient graph, with the input's gradient besides the parameters'. SameDiff prints a line per
     * differentiated op to standard output while it builds it.
     */
    private void buildGradientQuietly() {
        synchronized (System.class) {
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                sd.createGradFunction(X);
            } finally {
                System.setOut(out);
            }
        }
    }

    @Override
    public UnetParameters parameters() {
        return parameters;
    }

    @Override
    public void load(INDArray flat) {
        for (ParameterLayout.Part part : parameters.parts()) {
            sd.getVariable(part.name()).getArr().assign(flat.get(NDArrayIndex.interval(part.offset(),
                    part.offset() + part.length())).reshape('c', part.shape()));
        }
    }

    @Override
    public INDArray output(INDArray x, INDArray sigmaFeatures) {
        return sd.output(inputs(x, sigmaFeatures), OUT).get(OUT);
    }

    @Override
    public void gradient(INDArray x, INDArray sigmaFeatures, INDArray g, INDArray into) {
        Map<String, INDArray> inputs = inputs(x, sigmaFeatures);
        inputs.put(G, g);
        Map<String, INDArray> grads = sd.calculateGradients(inputs,
                parameters.parts().stream().map(ParameterLayout.Part::name).toList());
        INDArray flat = into.reshape(into.length());
        for (ParameterLayout.Part part : parameters.parts()) {
            flat.get(NDArrayIndex.interval(part.offset(), part.offset() + part.length()))
                    .assign(grads.get(part.name()).reshape('c', new long[] {part.length()}));
        }
    }

    @Override
    public INDArray inputGradient(INDArray x, INDArray sigmaFeatures, INDArray g) {
        Map<String, INDArray> inputs = inputs(x, sigmaFeatures);
        inputs.put(G, g);
        return sd.calculateGradients(inputs, X).get(X).castTo(DataType.FLOAT).dup();
    }

    private Map<String, INDArray> inputs(INDArray x, INDArray sigmaFeatures) {
        Map<String, INDArray> inputs = new HashMap<>();
        inputs.put(X, x);
        if (conditioned) {
            inputs.put(SIGMA, sigmaFeatures);
        }
        return inputs;
    }

    private SDVariable swish(SDVariable x) {
        return SameDiffLayers.swish(sd, x);
    }

    private SDVariable residual(String name, SDVariable h, int in, int out, SDVariable embedding) {
        SDVariable a = conv(name + ".conv1", swish(norm(name + ".norm1", h, in)), in, out, 3, 1, 1.0);
        if (embedding != null) {
            SDVariable bias = dense(name + ".sigma", embedding, architecture.embeddingWidth(), out);
            a = a.add(sd.expandDims(sd.expandDims(bias, 2), 3));
        }
        a = conv(name + ".conv2", swish(norm(name + ".norm2", a, out)), out, out, 3, 1, 0.1);
        SDVariable skip = in == out ? h : conv(name + ".skip", h, in, out, 1, 1, 1.0);
        return a.add(skip);
    }

    /** x + attention([norm](x)) where the current level has attention, else x. */
    private SDVariable attention(String name, SDVariable x, int channels) {
        if (!architecture.attends(level, exampleShape)) {
            return x;
        }
        int height = (int) (exampleShape[1] >> level);
        int width = (int) (exampleShape[2] >> level);
        SDVariable normalised = norm(name + ".attention.norm", x, channels);
        SelfAttention.Parts p = parameters.attention(name + ".attention", channels, (long) height * width);
        return x.add(SameDiffLayers.selfAttention(sd, normalised, variable(p.qkvWeights()), variable(p.qkvBias()),
                variable(p.outWeights()), variable(p.outBias()), channels, architecture.heads(), height, width));
    }

    /** Group normalisation of maps of the current level where the network normalises, else x. */
    private SDVariable norm(String name, SDVariable x, int channels) {
        if (!architecture.normalised()) {
            return x;
        }
        GroupNorm.Parts p = parameters.groupNorm(name, channels);
        return SameDiffLayers.groupNorm(sd, x, variable(p.scale()), variable(p.shift()), channels,
                architecture.groups(), (int) (exampleShape[1] >> level), (int) (exampleShape[2] >> level));
    }

    /** A convolution whose output lies at the current level. */
    private SDVariable conv(String name, SDVariable h, int in, int out, int k, int stride, double scale) {
        long pixels = (exampleShape[1] >> level) * (exampleShape[2] >> level);
        if (stride == 2) {
            pixels /= 4;
        }
        Convolution.Parts p = parameters.convolution(name, in, out, k, scale, pixels);
        return SameDiffLayers.convolution(sd, h, variable(p.kernel()), variable(p.bias()), k, stride);
    }

    private SDVariable dense(String name, SDVariable h, int in, int out) {
        Dense.Parts p = parameters.dense(name, in, out);
        return SameDiffLayers.dense(h, variable(p.weights()), variable(p.bias()));
    }

    /** A graph variable for a declared parameter part; {@link #load} fills it. */
    private SDVariable variable(ParameterLayout.Part part) {
        return sd.var(part.name(), Nd4j.zeros(DataType.FLOAT, part.shape()));
    }
}
