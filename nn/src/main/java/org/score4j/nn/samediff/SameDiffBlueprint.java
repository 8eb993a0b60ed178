package org.score4j.nn.samediff;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.ConditionalScore;
import org.score4j.api.ScoreModel;
import org.score4j.api.spi.ModelBlueprint;
import org.score4j.api.spi.ModelFootprint;
import org.score4j.api.spi.ModelSpec;
import org.score4j.nn.ParameterLayout;

/**
 * The {@link ModelBlueprint} of a {@link ScoreGraph}: what a third-party model factory returns from
 * {@code create(settings)}. It builds {@link SameDiffScoreModel}s, refuses specs the graph cannot take (its own
 * {@link ScoreGraph#incompatibility}, and classes where the graph is not {@link ScoreGraph#conditional()}), and
 * computes the footprint without allocating the parameters.
 *
 * <p>The footprint defines the graph once more with placeholders for the parameters: the parameter count is exact.
 * The activations per example are measured by running that graph's forward pass for one example (the parameters
 * zero) and adding up the values of every intermediate array, when the network has at most {@value #MEASURED}
 * parameters; above, where a zero vector of the parameters would itself be large, they are estimated as one
 * example's values per intermediate array.
 */
public final class SameDiffBlueprint implements ModelBlueprint {
    /** Parameters up to which the footprint runs one example to measure the activations (64 MiB of zeros). */
    static final long MEASURED = 1L << 24;

    private final String name;
    private final ScoreGraph graph;

    /** @param name the model's name (the factory's), for messages */
    public SameDiffBlueprint(String name, ScoreGraph graph) {
        this.name = Objects.requireNonNull(name, "name");
        this.graph = Objects.requireNonNull(graph, "graph");
    }

    @Override
    public ScoreModel build(ModelSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Optional<String> problem = incompatibility(spec);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
        return new SameDiffScoreModel(name, graph, spec);
    }

    @Override
    public ModelFootprint footprint(ModelSpec spec) {
        Objects.requireNonNull(spec, "spec");
        SameDiff sd = SameDiff.create();
        GraphBuilder builder = new GraphBuilder(sd, spec, true);
        SDVariable out = graph.define(builder);
        ParameterLayout layout = builder.layout();
        double parameters = layout.size();
        long perExample = builder.exampleSize();
        java.util.List<String> intermediate = sd.variables().stream()
                .filter(v -> v.getVariableType() == VariableType.ARRAY).map(SDVariable::name).toList();
        if (layout.size() > MEASURED || out == null || intermediate.isEmpty()) {
            return new ModelFootprint(parameters, Math.max(1, intermediate.size()) * (double) perExample);
        }
        Map<String, INDArray> in = new HashMap<>();
        long[] one = SameDiffScoreModel.batchShape(spec.exampleShape());
        one[0] = 1;
        in.put(GraphBuilder.X, Nd4j.zeros(DataType.FLOAT, one));
        in.put(GraphBuilder.SIGMA, Nd4j.valueArrayOf(new long[] {1, 1}, spec.dataScale(), DataType.FLOAT));
        INDArray labels = oneHot(null, 1, spec.classes(), name);
        if (labels != null) {
            in.put(GraphBuilder.LABELS, labels);
        }
        for (ParameterLayout.Part part : layout.parts()) {
            in.put(part.name(), Nd4j.zeros(DataType.FLOAT, part.shape()));
        }
        double activations = 0;
        for (INDArray a : sd.output(in, intermediate.toArray(String[]::new)).values()) {
            activations += a.length();
        }
        return new ModelFootprint(parameters, Math.max(1, activations));
    }

    @Override
    public Optional<String> incompatibility(ModelSpec spec) {
        Optional<String> own = graph.incompatibility(spec);
        if (own.isPresent()) {
            return own;
        }
        return spec.classes() > 0 && !graph.conditional()
                ? Optional.of(name + " does not take class labels, so it cannot be conditioned on the data's "
                        + spec.classes() + " classes; train without labels")
                : Optional.empty();
    }

    /**
     * One-hot rows [N, C + 1] of checked labels (slot C for {@link ConditionalScore#UNCONDITIONAL} and for null
     * labels), or null for an unconditional model, which takes only null or all-unconditional labels.
     *
     * @throws IllegalArgumentException naming the first bad label and its row
     */
    static INDArray oneHot(int[] labels, int rows, int classes, String model) {
        if (labels != null && labels.length != rows) {
            throw new IllegalArgumentException(model + " needs one label per row: " + rows + " rows, " + labels.length
                    + " labels");
        }
        if (labels != null) {
            for (int i = 0; i < labels.length; i++) {
                int y = labels[i];
                if (y != ConditionalScore.UNCONDITIONAL && (y < 0 || y >= classes)) {
                    throw new IllegalArgumentException(classes == 0
                            ? model + " is unconditional: labels must be null or " + ConditionalScore.UNCONDITIONAL
                                    + ", got " + y + " at row " + i
                            : model + " has " + classes + " classes: labels must be in [0, " + classes + ") or "
                                    + ConditionalScore.UNCONDITIONAL + " (unconditional), got " + y + " at row " + i);
                }
            }
        }
        if (classes == 0) {
            return null;
        }
        float[] values = new float[rows * (classes + 1)];
        for (int i = 0; i < rows; i++) {
            int y = labels == null ? ConditionalScore.UNCONDITIONAL : labels[i];
            values[i * (classes + 1) + (y == ConditionalScore.UNCONDITIONAL ? classes : y)] = 1;
        }
        return Nd4j.createFromArray(values).reshape(rows, classes + 1);
    }
}
