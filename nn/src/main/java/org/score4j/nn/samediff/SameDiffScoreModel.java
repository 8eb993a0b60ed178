package org.score4j.nn.samediff;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.score4j.api.ConditionalScore;
import org.score4j.api.InputGradient;
import org.score4j.api.ScoreModel;
import org.score4j.api.spi.ModelSpec;
import org.score4j.nn.LatestPass;
import org.score4j.nn.ParameterLayout;

/**
 * A {@link ScoreModel} from a {@link ScoreGraph}: the graph's parameters as one flat FLOAT vector (in declaration
 * order), its output as scores, and SameDiff's reverse mode for both vector–Jacobian products: the loss Σ out ⊙ g with
 * g the score gradient is differentiated with respect to the parameters (a training pass's backward) or to x
 * ({@link InputGradient}). Built by {@link SameDiffBlueprint}.
 *
 * <p>Inputs of any floating type are computed in float; scores and input gradients have x's type. Labels are checked
 * (for a spec of C classes: in [0, C) or {@link ConditionalScore#UNCONDITIONAL}; none for an unconditional spec) and
 * given to the graph one-hot. A {@link ScoreModel.TrainingPass} keeps its own inputs: it stays valid across other
 * calls until its backward pass, the next {@link #forward} or {@link #setParameters}. Not thread-safe.
 */
public final class SameDiffScoreModel implements ScoreModel, InputGradient {
    private static final String G = "score4j.g";
    private static final String OUT = "score4j.out";

    private final String name;
    private final ModelSpec spec;
    private final SameDiff sd;
    private final List<ParameterLayout.Part> parts;
    private final List<String> names;
    private final INDArray theta;
    private final LatestPass latest;

    SameDiffScoreModel(String name, ScoreGraph graph, ModelSpec spec) {
        this.name = Objects.requireNonNull(name, "name");
        this.latest = new LatestPass(name, "the next forward or setParameters");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.sd = SameDiff.create();
        GraphBuilder builder = new GraphBuilder(sd, spec, false);
        SDVariable out = graph.define(builder);
        if (out == null) {
            throw new IllegalStateException(name + ": the graph defined no output");
        }
        sd.identity(OUT, out);
        long[] batch = batchShape(spec.exampleShape());
        out.mul(sd.placeHolder(G, DataType.FLOAT, batch)).sum().markAsLoss();
        ParameterLayout layout = builder.layout();
        if (layout.parts().isEmpty()) {
            throw new IllegalStateException(name + ": the graph declared no parameters");
        }
        this.parts = layout.parts();
        this.names = parts.stream().map(ParameterLayout.Part::name).toList();
        quietly(() -> {
            sd.createGradFunction(GraphBuilder.X);
            return null;
        });
        this.theta = layout.initial(spec.seed());
        load();
    }

    @Override
    public long[] exampleShape() {
        return spec.exampleShape();
    }

    @Override
    public int classes() {
        return spec.classes();
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
        Objects.requireNonNull(flat, "parameters");
        if (flat.length() != theta.length()) {
            throw new IllegalArgumentException(name + " has " + theta.length() + " parameters, got " + flat.length()
                    + " values " + Arrays.toString(flat.shape()));
        }
        theta.assign(flat.castTo(DataType.FLOAT).reshape(theta.length()));
        load();
        latest.end();
    }

    /** Copies θ into the graph's variables. */
    private void load() {
        for (ParameterLayout.Part part : parts) {
            sd.getVariable(part.name()).getArr().assign(theta.get(NDArrayIndex.interval(part.offset(), part.offset()
                    + part.length())).reshape('c', part.shape()));
        }
    }

    @Override
    public INDArray score(INDArray x, INDArray sigma, int[] labels) {
        return scores(inputs(x, sigma, labels), x);
    }

    @Override
    public TrainingPass forward(INDArray x, INDArray sigma, int[] labels) {
        Map<String, INDArray> in = inputs(x, sigma, labels);
        INDArray scores = scores(in, x);
        return latest.begin(new Pass(in, scores));
    }

    @Override
    public INDArray inputGradient(INDArray x, INDArray sigma, int[] labels, INDArray g) {
        Map<String, INDArray> in = inputs(x, sigma, labels);
        requireShapeOf(x, g);
        in.put(G, g.castTo(DataType.FLOAT));
        INDArray dx = quietly(() -> sd.calculateGradients(in, GraphBuilder.X)).get(GraphBuilder.X);
        return dx.castTo(DataType.FLOAT).dup().reshape(x.shape()).castTo(x.dataType());
    }

    /** A training pass: its inputs, kept for the backward pass, and its scores. */
    private final class Pass implements TrainingPass {
        private final Map<String, INDArray> inputs;
        private final INDArray scores;

        Pass(Map<String, INDArray> inputs, INDArray scores) {
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
            Objects.requireNonNull(parameterGradient, "parameterGradient");
            if (parameterGradient.length() != theta.length()) {
                throw new IllegalArgumentException(name + " has " + theta.length() + " parameters, got a parameter "
                        + "gradient of " + parameterGradient.length() + " values");
            }
            latest.use(this);
            Map<String, INDArray> in = new HashMap<>(inputs);
            in.put(G, scoreGradient.castTo(DataType.FLOAT));
            Map<String, INDArray> grads = quietly(() -> sd.calculateGradients(in, names));
            float[] flat = new float[Math.toIntExact(theta.length())];
            for (ParameterLayout.Part part : parts) {
                float[] values = grads.get(part.name()).castTo(DataType.FLOAT).dup('c').data().asFloat();
                System.arraycopy(values, 0, flat, part.at(), values.length);
            }
            parameterGradient.assign(Nd4j.createFromArray(flat).reshape(parameterGradient.shape()));
        }
    }

    private INDArray scores(Map<String, INDArray> in, INDArray x) {
        INDArray out = sd.output(in, OUT).get(OUT);
        if (!Arrays.equals(out.shape(), x.shape())) {
            throw new IllegalStateException(name + "'s graph gave scores of shape " + Arrays.toString(out.shape())
                    + " for x of shape " + Arrays.toString(x.shape()) + "; a score has the shape of x");
        }
        // A copy: SameDiff reuses its arrays in later calls.
        return out.castTo(DataType.FLOAT).dup().castTo(x.dataType());
    }

    /** The graph's inputs for a batch, checked. */
    private Map<String, INDArray> inputs(INDArray x, INDArray sigma, int[] labels) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(sigma, "sigma");
        long[] shape = spec.exampleShape();
        long[] expected = batchShape(shape);
        expected[0] = x.rank() > 0 ? x.size(0) : -1;
        if (!Arrays.equals(x.shape(), expected) || sigma.length() != x.size(0)) {
            throw new IllegalArgumentException(name + " expects x of shape [N, " + Arrays.toString(shape)
                    .replaceAll("[\\[\\]]", "") + "] and σ of shape [N], got " + Arrays.toString(x.shape()) + " and "
                    + Arrays.toString(sigma.shape()));
        }
        int n = (int) x.size(0);
        Map<String, INDArray> in = new HashMap<>();
        in.put(GraphBuilder.X, x.castTo(DataType.FLOAT).dup('c'));
        in.put(GraphBuilder.SIGMA, sigma.castTo(DataType.FLOAT).dup('c').reshape(n, 1));
        INDArray oneHot = SameDiffBlueprint.oneHot(labels, n, spec.classes(), name);
        if (oneHot != null) {
            in.put(GraphBuilder.LABELS, oneHot);
        }
        return in;
    }

    private void requireShapeOf(INDArray reference, INDArray g) {
        Objects.requireNonNull(g, "gradient");
        if (!Arrays.equals(reference.shape(), g.shape())) {
            throw new IllegalArgumentException(name + " expects a gradient of shape " + Arrays.toString(reference.shape())
                    + ", got " + Arrays.toString(g.shape()));
        }
    }

    /** [−1, shape...]. */
    static long[] batchShape(long[] shape) {
        long[] batch = new long[shape.length + 1];
        batch[0] = -1;
        System.arraycopy(shape, 0, batch, 1, shape.length);
        return batch;
    }

    /** Runs {@code work} with standard output dropped: SameDiff prints a line per op it differentiates. */
    static <T> T quietly(Supplier<T> work) {
        synchronized (System.class) {
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                return work.get();
            } finally {
                System.setOut(out);
            }
        }
    }
}
