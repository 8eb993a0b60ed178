package org.score4j.models.ncsn;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.InputGradient;
import org.score4j.api.ScoreModel;
import org.score4j.api.spi.ModelSpec;
import org.score4j.api.tensors.Tensors;
import org.score4j.nn.LatestPass;
import org.score4j.nn.cpu.DenseStack;

/**
 * A noise-conditional score network for vectors: an MLP on [x_in, σ features, label] whose forward and backward passes
 * run on views of one flat parameter vector ({@link DenseStack}).
 *
 * <p>x_in = x/√(σ² + s²) with the data scale s (input scaling), the σ features are c = ln(σ/s)/4 and sin(kπc),
 * cos(kπc) for k = 1..embedding/2, and the score is the output divided by σ (output scaling), so the network regresses
 * σ·∇log q_σ, which has unit scale at every level. A model of C &gt; 0 classes also takes the one-hot of C + 1 label
 * slots ({@link ClassLabels}), so its first layer learns a per-class vector added to its pre-activation. Images and
 * other tensors are flattened: the network sees every example as one vector of d values.
 *
 * <p>Parameters are laid out as DL4J's dense layers lay them out (per layer: W as [in, out] in Fortran order, then
 * b), and a fresh model has the Xavier parameters a DL4J network of the same layers draws for the spec's seed. A
 * {@link ScoreModel.TrainingPass} stays valid across {@link #score} calls; {@link #forward}, {@link #inputGradient}
 * and {@link #setParameters} end it.
 */
public final class NcsnMlp implements ScoreModel, InputGradient {
    static final String NAME = "ncsn-mlp";

    private final MlpArchitecture architecture;
    private final long[] shape;
    private final int dimension;
    private final double dataScale;
    private final int classes;
    private final DenseStack stack;
    /** The parameters [P]; the layers run on views of it. */
    private final INDArray theta;
    private final DenseStack.Views live;
    private final GradientTarget gradients;
    /** The caller's gradient array of the last backward pass, and views of the memory written for it. */
    private INDArray lastGiven;
    private DenseStack.Views lastViews;
    private final LatestPass latest = new LatestPass(NAME, "the next forward, inputGradient or setParameters");

    private NcsnMlp(MlpArchitecture architecture, long[] shape, int dimension, double dataScale, int classes,
                    int[] widths, INDArray theta) {
        this.architecture = architecture;
        this.shape = shape;
        this.dimension = dimension;
        this.dataScale = dataScale;
        this.classes = classes;
        this.stack = new DenseStack(architecture.activation(), widths);
        if (stack.size() != theta.length()) {
            throw new IllegalStateException(NAME + " layout: " + stack.size() + " parameters expected, got "
                    + theta.length());
        }
        this.theta = theta;
        this.live = stack.views(theta);
        this.gradients = new GradientTarget(theta.length(), NAME);
    }

    /**
     * A freshly initialised network for {@code spec}; the same spec gives the same parameters.
     *
     * @throws IllegalArgumentException if the example shape has a dimension below 1 or the network would have more
     *                                  parameters than a flat vector holds ({@link ParameterVectors#MAX_PARAMETERS})
     */
    public static NcsnMlp create(MlpArchitecture architecture, ModelSpec spec) {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(spec, "spec");
        long[] shape = spec.exampleShape();
        if (Arrays.stream(shape).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException(NAME + " needs examples with every dimension >= 1, got "
                    + Arrays.toString(shape));
        }
        ParameterVectors.checkCount(architecture.footprint(shape, spec.classes()).parameters(), NAME);
        // Below the parameter limit every width fits an int: each is at most P.
        int d = (int) MlpArchitecture.dimension(shape);
        int[] widths = new int[architecture.layers() + 2];
        widths[0] = (int) architecture.inputWidth(shape, spec.classes());
        Arrays.fill(widths, 1, widths.length - 1, architecture.hidden());
        widths[widths.length - 1] = d;
        INDArray theta = XavierInitialisation.parameters(widths, spec.seed());
        return new NcsnMlp(architecture, shape, d, spec.dataScale(), spec.classes(), widths, theta);
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
    public long parameterCount() {
        return theta.length();
    }

    @Override
    public OptionalLong forwardFlops() {
        return OptionalLong.of(stack.forwardFlops());
    }

    @Override
    public INDArray parameters() {
        return theta.dup();
    }

    @Override
    public void setParameters(INDArray flat) {
        // In place: the layers run on views of theta.
        ParameterVectors.copy(flat, theta, NAME);
        latest.end();
    }

    @Override
    public INDArray score(INDArray x, INDArray sigma, int[] labels) {
        INDArray out = stack.forward(live, features(x, sigma, labels), null);
        return toScore(out, sigma, x);
    }

    @Override
    public TrainingPass forward(INDArray x, INDArray sigma, int[] labels) {
        DenseStack.Trace trace = new DenseStack.Trace();
        INDArray out = stack.forward(live, features(x, sigma, labels), trace);
        return latest.begin(new Pass(trace, sigma.castTo(DataType.FLOAT), toScore(out, sigma, x)));
    }

    @Override
    public INDArray inputGradient(INDArray x, INDArray sigma, int[] labels, INDArray g) {
        requireShapeOf(x, g);
        latest.end();
        DenseStack.Trace trace = new DenseStack.Trace();
        stack.forward(live, features(x, sigma, labels), trace);
        float[] back = Tensors.floats(stack.inputGradient(live, trace, outputGradient(g, sigma.castTo(DataType.FLOAT))));
        // The σ features and the label do not depend on x: only the first d columns, times the input scaling.
        int n = (int) x.size(0);
        int width = back.length / Math.max(1, n);
        double[] sigmas = Tensors.doubles(sigma);
        float[] out = new float[n * dimension];
        for (int i = 0; i < n; i++) {
            double factor = architecture.inputScaling() ? SigmaFeatures.inputFactor(sigmas[i], dataScale) : 1;
            for (int j = 0; j < dimension; j++) {
                out[i * dimension + j] = (float) (back[i * width + j] * factor);
            }
        }
        return Tensors.array(out, x.dataType(), x.shape());
    }

    /** One training forward pass: what the backward pass needs, and the scores it returned. */
    private final class Pass implements TrainingPass {
        private final DenseStack.Trace trace;
        private final INDArray sigma;
        private final INDArray scores;

        Pass(DenseStack.Trace trace, INDArray sigma, INDArray scores) {
            this.trace = trace;
            this.sigma = sigma;
            this.scores = scores;
        }

        @Override
        public INDArray scores() {
            return scores;
        }

        @Override
        public void backward(INDArray scoreGradient, INDArray parameterGradient) {
            Objects.requireNonNull(scoreGradient, "scoreGradient");
            latest.requireTurn(this);
            requireShapeOf(scores, scoreGradient);
            latest.use(this);
            INDArray into = gradients.open(parameterGradient);
            if (parameterGradient != lastGiven) {
                // Kept: the runner passes the same array every step, and views cost a native call each.
                lastViews = stack.views(into);
                lastGiven = parameterGradient;
            }
            stack.backward(live, trace, outputGradient(scoreGradient, sigma), lastViews);
            gradients.finish(parameterGradient, into);
        }
    }

    /** ∂L/∂output [N, d] from ∂L/∂scores: through the 1/σ output scaling. */
    private INDArray outputGradient(INDArray scoreGradient, INDArray sigma) {
        INDArray epsilon = Tensors.rows(scoreGradient.castTo(DataType.FLOAT));
        return architecture.outputScaling() ? Tensors.divideRows(epsilon, sigma) : epsilon;
    }

    /** [x·1/√(σ² + s²) (input scaling), σ features, label slots] per row, built on the JVM in one pass. */
    INDArray features(INDArray x, INDArray sigma, int[] labels) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(sigma, "sigma");
        if (x.rank() != shape.length + 1 || x.length() != x.size(0) * dimension || sigma.length() != x.size(0)) {
            throw new IllegalArgumentException(NAME + " expects x of shape [N, " + Arrays.toString(shape)
                    .replaceAll("[\\[\\]]", "") + "] and σ of shape [N], got " + Arrays.toString(x.shape())
                    + " and " + Arrays.toString(sigma.shape()));
        }
        ClassLabels.check(labels, x.size(0), classes, NAME);
        int n = (int) x.size(0);
        int embedding = architecture.embedding();
        int width = dimension + SigmaFeatures.width(embedding, classes);
        float[] values = Tensors.floats(x);
        double[] sigmas = Tensors.doubles(sigma);
        float[] out = new float[n * width];
        for (int i = 0; i < n; i++) {
            double factor = architecture.inputScaling() ? SigmaFeatures.inputFactor(sigmas[i], dataScale) : 1;
            int from = i * dimension;
            int to = i * width;
            for (int j = 0; j < dimension; j++) {
                out[to + j] = (float) (values[from + j] * factor);
            }
        }
        SigmaFeatures.writeRows(sigmas, dataScale, embedding, out, width, dimension);
        ClassLabels.writeOneHot(labels, n, classes, out, width, dimension + SigmaFeatures.width(embedding));
        return Tensors.array(out, DataType.FLOAT, n, width);
    }

    /** The scores for network output {@code out} [N, d]: divided by σ (output scaling), in x's type and shape. */
    private INDArray toScore(INDArray out, INDArray sigma, INDArray x) {
        INDArray s = architecture.outputScaling() ? Tensors.divideRows(out, sigma) : out.dup();
        return s.castTo(x.dataType()).reshape('c', x.shape());
    }

    private static void requireShapeOf(INDArray reference, INDArray g) {
        Objects.requireNonNull(g, "g");
        if (!Arrays.equals(reference.shape(), g.shape())) {
            throw new IllegalArgumentException(NAME + " expects a gradient of shape " + Arrays.toString(reference.shape())
                    + ", got " + Arrays.toString(g.shape()));
        }
    }
}
