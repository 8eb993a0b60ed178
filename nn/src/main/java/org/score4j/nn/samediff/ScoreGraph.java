package org.score4j.nn.samediff;

import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.score4j.api.spi.ModelSpec;

/**
 * A score network written as its forward computation in SameDiff: all a third-party author writes. Wrapped in a
 * {@link SameDiffBlueprint}, it becomes a {@link org.score4j.api.ScoreModel} with a flat parameter vector, the
 * parameter and input vector–Jacobian products (SameDiff's reverse mode), and a footprint; score4j's runner then gives
 * it checkpoints, the moving average, every optimizer and data-parallel training, as it does every model.
 *
 * <p>{@link #define} is called once per model built (and once more, without values, for the footprint): it declares
 * the parameters with {@link GraphBuilder#parameter} (or {@link GraphBuilder#dense}) and returns the network's output
 * from {@link GraphBuilder#x()}, {@link GraphBuilder#sigma()} and, for a conditional network,
 * {@link GraphBuilder#labels()}. The same spec must give the same parameters in the same order. The output is the
 * score s(x, σ), of x's shape [N, shape...]. Scaling belongs to the network: NCSNv2's networks, for instance, divide
 * their output by σ.
 */
@FunctionalInterface
public interface ScoreGraph {

    /** The score [N, shape...] of the batch {@code in} holds, from parameters declared on {@code in}. */
    SDVariable define(GraphBuilder in);

    /**
     * Whether {@link #define} uses {@link GraphBuilder#labels()}: a model for a spec with classes is refused
     * otherwise (it could not tell the classes apart).
     */
    default boolean conditional() {
        return false;
    }

    /**
     * Why the network cannot take the spec's examples (its shape; its data scale and seed are not known yet), or
     * empty if it can. The default takes any shape.
     */
    default Optional<String> incompatibility(ModelSpec spec) {
        return Optional.empty();
    }
}
