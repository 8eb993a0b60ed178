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
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The U-Net of {@link NcsnUnet} as a SameDiff graph, NCHW: the implementation for backends other than the CPU and
 * JVMs without the vector API, and the reference {@link DirectUnet} is tested against.
 *
 * <p>SameDiff rather than DL4J's layer API because its convolutions run on oneDNN and DL4J's layers' do not (the
 * measurement is in docs/speed.md, "SameDiff against DL4J's layers"). The external
 * score gradient g enters as the loss Σ out ⊙ g, whose parameter and input gradients are the vector–Jacobian
 * products.
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
    private long pixels;

    /** @param features σ features per example (with the label slots of a conditional network) */
    UnetGraph(UnetArchitecture architecture, long[] exampleShape, int features) {
        this.architecture = architecture;
        this.conditioned = architecture.conditioned();
        int in = (int) exampleShape[0];
        pixels = exampleShape[1] * exampleShape[2];
        SDVariable x = sd.placeHolder(X, DataType.FLOAT, -1, in, exampleShape[1], exampleShape[2]);
        SDVariable embedding = null;
        if (conditioned) {
            SDVariable sigmaFeatures = sd.placeHolder(SIGMA, DataType.FLOAT, -1, features);
            embedding = swish(dense("sigma", sigmaFeatures, features, architecture.embeddingWidth()));
        }
        SDVariable h = conv("in", x, in, architecture.width(0), 3, 1, 1.0);
        Deque<SDVariable> skips = new ArrayDeque<>();
        int levels = architecture.levels();
        for (int level = 0; level < levels; level++) {
            int w = architecture.width(level);
            for (int b = 0; b < architecture.blocks(); b++) {
                h = residual("down" + level + "." + b, h, b == 0 && level > 0 ? architecture.width(level - 1) : w, w,
                        embedding);
            }
            skips.push(h);
            if (level < levels - 1) {
                h = conv("downsample" + level, h, w, w, 3, 2, 1.0);
            }
        }
        int top = architecture.width(levels - 1);
        h = residual("middle", h, top, top, embedding);
        for (int level = levels - 1; level >= 0; level--) {
            int w = architecture.width(level);
            h = sd.concat(1, h, skips.pop());
            h = residual("up" + level, h, 2 * w, w, embedding);
            if (level > 0) {
                h = sd.cnn.upsampling2d(h, 2, 2, true);
                pixels *= 4;
                h = conv("upsample" + level, h, w, architecture.width(level - 1), 3, 1, 1.0);
            }
        }
        SDVariable out = conv("out", swish(h), architecture.width(0), in, 3, 1, 0);
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
        for (UnetParameters.Part part : parameters.parts()) {
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
                parameters.parts().stream().map(UnetParameters.Part::name).toList());
        INDArray flat = into.reshape(into.length());
        for (UnetParameters.Part part : parameters.parts()) {
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

    /** x·sigmoid(x) from its parts: the fused swish op's gradient overflows to NaN for inputs above ~44. */
    private SDVariable swish(SDVariable x) {
        return x.mul(sd.nn.sigmoid(x));
    }

    private SDVariable residual(String name, SDVariable h, int in, int out, SDVariable embedding) {
        SDVariable a = conv(name + ".conv1", swish(h), in, out, 3, 1, 1.0);
        if (embedding != null) {
            SDVariable bias = dense(name + ".sigma", embedding, architecture.embeddingWidth(), out);
            a = a.add(sd.expandDims(sd.expandDims(bias, 2), 3));
        }
        a = conv(name + ".conv2", swish(a), out, out, 3, 1, 0.1);
        SDVariable skip = in == out ? h : conv(name + ".skip", h, in, out, 1, 1, 1.0);
        return a.add(skip);
    }

    private SDVariable conv(String name, SDVariable h, int in, int out, int k, int stride, double scale) {
        pixels /= (long) stride * stride;
        parameters.convolution(name, in, out, k, scale, pixels);
        SDVariable w = variable(name + ".w", k, k, in, out);
        SDVariable b = variable(name + ".b", out);
        return sd.cnn.conv2d(h, w, b, Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride)
                .paddingMode(PaddingMode.SAME).dataFormat("NCHW").build());
    }

    private SDVariable dense(String name, SDVariable h, int in, int out) {
        parameters.dense(name, in, out);
        return h.mmul(variable(name + ".w", in, out)).add(variable(name + ".b", 1, out));
    }

    /** A graph variable for a registered parameter part; {@link #load} fills it. */
    private SDVariable variable(String name, long... shape) {
        return sd.var(name, Nd4j.zeros(DataType.FLOAT, shape));
    }
}
