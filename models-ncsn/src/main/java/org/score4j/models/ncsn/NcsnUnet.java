package org.score4j.models.ncsn;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.InputGradient;
import org.score4j.api.ScoreModel;
import org.score4j.api.spi.ModelSpec;
import org.score4j.api.tensors.Tensors;
import org.score4j.nn.LatestPass;

/**
 * A noise-conditional convolutional score network for C×H×W images: a U-Net of residual blocks with skip
 * connections between matching resolutions ({@link UnetArchitecture}), on one flat parameter vector.
 *
 * <p>As in {@link NcsnMlp}, inputs are scaled by 1/√(σ² + s²) and the score is the output divided by σ, so the
 * network regresses σ·∇log q_σ, of unit scale at every level; {@link UnetArchitecture#conditioning()} decides whether
 * the blocks also see σ. With {@code bias} and C &gt; 0 classes the σ embedding's dense layer also takes the one-hot
 * of C + 1 label slots ({@link ClassLabels}), so every block's σ bias depends on the label too; with {@code none} the
 * network takes no labels.
 *
 * <p>Computed by {@link DirectUnet} where the CPU backend and the vector API allow, else by the SameDiff
 * {@link UnetGraph}: the same network, parameters and results up to float rounding. A
 * {@link ScoreModel.TrainingPass} stays valid across {@link #score} calls (the network then runs the forward pass
 * again for the backward pass); {@link #forward}, {@link #inputGradient} and {@link #setParameters} end it.
 */
public final class NcsnUnet implements ScoreModel, InputGradient {
    static final String NAME = "ncsn-unet";

    private final UnetArchitecture architecture;
    private final long[] shape;
    private final double dataScale;
    private final int classes;
    private final UnetNetwork network;
    /** The parameters [P], which the network reads. */
    private final INDArray theta;
    private final GradientTarget gradients;
    private final LatestPass latest = new LatestPass(NAME, "the next forward, inputGradient or setParameters");

    /** The network's inputs for a batch: scaled images, σ features (with the label slots), and σ itself. */
    private record Inputs(INDArray x, INDArray features, INDArray sigma) {
    }

    private NcsnUnet(UnetArchitecture architecture, long[] shape, double dataScale, int classes, UnetNetwork network,
                     INDArray theta) {
        this.architecture = architecture;
        this.shape = shape;
        this.dataScale = dataScale;
        this.classes = classes;
        this.network = network;
        this.theta = theta;
        this.gradients = new GradientTarget(theta.length(), NAME);
        network.load(theta);
    }

    /**
     * A freshly initialised network for {@code spec}; the same spec gives the same parameters.
     *
     * @throws IllegalArgumentException if the network cannot take the spec's images ({@link UnetArchitecture#unsupported}),
     *                                  its classes (conditioning = none), or would have more parameters than a flat
     *                                  vector holds
     */
    public static NcsnUnet create(UnetArchitecture architecture, ModelSpec spec) {
        return create(architecture, spec, UnetNetwork::best);
    }

    /** As {@link #create(UnetArchitecture, ModelSpec)}, on the implementation {@code networks} makes (for tests). */
    static NcsnUnet create(UnetArchitecture architecture, ModelSpec spec, UnetNetwork.Factory networks) {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(spec, "spec");
        long[] shape = spec.exampleShape();
        String problem = architecture.unsupported(shape);
        if (problem == null) {
            problem = architecture.unsupported(spec.classes());
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        ParameterVectors.checkCount(architecture.footprint(shape, spec.classes()).parameters(), NAME);
        UnetNetwork network = networks.create(architecture, shape,
                SigmaFeatures.width(architecture.embedding(), spec.classes()));
        INDArray theta = network.parameters().initial(spec.seed());
        return new NcsnUnet(architecture, shape, spec.dataScale(), spec.classes(), network, theta);
    }

    @Override
    public long[] exampleShape() {
        return shape.clone();
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public OptionalLong forwardFlops() {
        return OptionalLong.of(network.forwardFlops());
    }

    @Override
    public long parameterCount() {
        return theta.length();
    }

    @Override
    public INDArray parameters() {
        return theta.dup();
    }

    @Override
    public void setParameters(INDArray flat) {
        ParameterVectors.copy(flat, theta, NAME);
        // The direct network reorders its convolution kernels from the new values before its next pass.
        network.load(theta);
        latest.end();
    }

    @Override
    public INDArray score(INDArray x, INDArray sigma, int[] labels) {
        Inputs in = inputs(x, sigma, labels);
        return toScore(network.output(in.x(), in.features()), in.sigma(), x.dataType());
    }

    @Override
    public TrainingPass forward(INDArray x, INDArray sigma, int[] labels) {
        Inputs in = inputs(x, sigma, labels);
        return latest.begin(new Pass(in, toScore(network.output(in.x(), in.features()), in.sigma(), x.dataType())));
    }

    @Override
    public INDArray inputGradient(INDArray x, INDArray sigma, int[] labels, INDArray g) {
        requireShapeOf(x, g);
        latest.end();
        Inputs in = inputs(x, sigma, labels);
        INDArray dx = network.inputGradient(in.x(), in.features(), outputGradient(g, in.sigma()));
        // Through the input scaling; the σ features and the label do not depend on x.
        INDArray scaled = architecture.inputScaling()
                ? Tensors.divideRows(dx, SigmaFeatures.inputScale(sigma, dataScale)) : dx;
        return scaled.castTo(x.dataType());
    }

    /** One training forward pass: its inputs, kept for the backward pass, and the scores it returned. */
    private final class Pass implements TrainingPass {
        private final Inputs inputs;
        private final INDArray scores;

        Pass(Inputs inputs, INDArray scores) {
            this.inputs = inputs;
            this.scores = scores;
        }

        @Override
        public INDArray scores() {
            return scores;
        }

        @Override
        public void backward(INDArray scoreGradient, INDArray parameterGradient) {
            latest.requireTurn(this);
            requireShapeOf(scores, scoreGradient);
            latest.use(this);
            INDArray into = gradients.open(parameterGradient);
            network.gradient(inputs.x(), inputs.features(), outputGradient(scoreGradient, inputs.sigma()), into);
            gradients.finish(parameterGradient, into);
        }
    }

    /** ∂L/∂output from ∂L/∂scores: through the 1/σ output scaling, as float. */
    private INDArray outputGradient(INDArray scoreGradient, INDArray sigma) {
        INDArray g = scoreGradient.castTo(DataType.FLOAT);
        return architecture.outputScaling() ? Tensors.divideRows(g, sigma) : g;
    }

    private Inputs inputs(INDArray x, INDArray sigma, int[] labels) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(sigma, "sigma");
        if (x.rank() != 4 || x.size(1) != shape[0] || x.size(2) != shape[1] || x.size(3) != shape[2]
                || sigma.length() != x.size(0)) {
            throw new IllegalArgumentException(NAME + " expects x of shape [N, " + Arrays.stream(shape)
                    .mapToObj(Long::toString).collect(Collectors.joining(", ")) + "] and σ of shape [N], got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(sigma.shape()));
        }
        ClassLabels.check(labels, x.size(0), classes, NAME);
        // Always a copy of the caller's x: the network may read it again for the backward pass.
        INDArray xin = architecture.inputScaling()
                ? Tensors.divideRows(x.castTo(DataType.FLOAT), SigmaFeatures.inputScale(sigma, dataScale))
                : x.castTo(DataType.FLOAT).dup('c');
        return new Inputs(xin, SigmaFeatures.of(sigma, dataScale, architecture.embedding(), labels, classes),
                sigma.castTo(DataType.FLOAT).reshape(x.size(0)));
    }

    private INDArray toScore(INDArray out, INDArray sigma, DataType type) {
        INDArray s = architecture.outputScaling() ? Tensors.divideRows(out, sigma) : out.dup();
        return s.castTo(type);
    }

    private static void requireShapeOf(INDArray reference, INDArray g) {
        Objects.requireNonNull(g, "gradient");
        if (!Arrays.equals(reference.shape(), g.shape())) {
            throw new IllegalArgumentException(NAME + " expects a gradient of shape " + Arrays.toString(reference.shape())
                    + ", got " + Arrays.toString(g.shape()));
        }
    }
}
