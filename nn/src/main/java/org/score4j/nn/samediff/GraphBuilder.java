package org.score4j.nn.samediff;

import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.spi.ModelSpec;
import org.score4j.nn.ParameterLayout;

/**
 * What a {@link ScoreGraph} builds its network from: the SameDiff graph, the batch's inputs as graph variables, and
 * the declaration of parameters, which become the model's flat parameter vector in the order they are declared.
 */
public final class GraphBuilder {
    static final String X = "score4j.x";
    static final String SIGMA = "score4j.sigma";
    static final String LABELS = "score4j.labels";

    private final SameDiff sd;
    private final ModelSpec spec;
    private final ParameterLayout layout = new ParameterLayout();
    /** Whether parameters are placeholders (a footprint's graph, which allocates no parameters). */
    private final boolean declarationOnly;
    private final SDVariable x;
    private final SDVariable sigma;
    private final SDVariable labels;

    GraphBuilder(SameDiff sd, ModelSpec spec, boolean declarationOnly) {
        this.sd = sd;
        this.spec = spec;
        this.declarationOnly = declarationOnly;
        long[] shape = spec.exampleShape();
        long[] batch = new long[shape.length + 1];
        batch[0] = -1;
        System.arraycopy(shape, 0, batch, 1, shape.length);
        x = sd.placeHolder(X, DataType.FLOAT, batch);
        sigma = sd.placeHolder(SIGMA, DataType.FLOAT, -1, 1);
        labels = spec.classes() > 0 ? sd.placeHolder(LABELS, DataType.FLOAT, -1, spec.classes() + 1L) : null;
    }

    /** The graph to build in. */
    public SameDiff sd() {
        return sd;
    }

    /** The points [N, shape...], FLOAT. */
    public SDVariable x() {
        return x;
    }

    /** The noise levels as a column [N, 1], FLOAT. */
    public SDVariable sigma() {
        return sigma;
    }

    /**
     * The labels as one-hot rows [N, C + 1] for a spec of C &gt; 0 classes: slot y for label y, slot C for an
     * unconditional row; null for an unconditional spec.
     */
    public SDVariable labels() {
        return labels;
    }

    /** Shape of one example. */
    public long[] exampleShape() {
        return spec.exampleShape();
    }

    /** Values per example: the product of the example's shape. */
    public long exampleSize() {
        long n = 1;
        for (long s : spec.exampleShape()) {
            n *= s;
        }
        return n;
    }

    /** The data's standard deviation s, for input scaling such as x/√(σ² + s²). */
    public double dataScale() {
        return spec.dataScale();
    }

    /** Classes the model is conditioned on (0: unconditional). */
    public int classes() {
        return spec.classes();
    }

    /**
     * Declares a parameter part and returns its graph variable: He-normal (times {@code scale}; for [in, out]
     * matrices and [k, k, in, out] kernels), zero or one, drawn from the spec's seed.
     *
     * @throws IllegalArgumentException if the name is taken or a dimension is below 1
     */
    public SDVariable parameter(String name, ParameterLayout.Init init, double scale, long... shape) {
        Objects.requireNonNull(name, "name");
        ParameterLayout.Part part = layout.add(name, init, scale, shape);
        return declarationOnly ? sd.placeHolder(name, DataType.FLOAT, part.shape())
                : sd.var(name, Nd4j.zeros(DataType.FLOAT, part.shape()));
    }

    /**
     * h·W + b for h [N, in]: declares W [in, out] (He-normal times {@code scale}) as {@code name.w} and b [1, out]
     * (zero) as {@code name.b}.
     */
    public SDVariable dense(String name, SDVariable h, int in, int out, double scale) {
        SDVariable w = parameter(name + ".w", ParameterLayout.Init.HE_NORMAL, scale, in, out);
        SDVariable b = parameter(name + ".b", ParameterLayout.Init.ZERO, 0, 1, out);
        return SameDiffLayers.dense(h, w, b);
    }

    ParameterLayout layout() {
        return layout;
    }
}
