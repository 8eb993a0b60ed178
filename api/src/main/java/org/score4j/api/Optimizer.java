package org.score4j.api;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A first-order optimizer on flat parameter vectors: the runner trains every model with one, chosen by name in the
 * {@code optimizer} section. It keeps its per-parameter state in vectors the runner owns (and writes to checkpoints),
 * so a resumed run continues exactly.
 */
public interface Optimizer {

    /** The names of the per-parameter state vectors this optimizer keeps (e.g. {@code m}, {@code v}); may be empty. */
    List<String> stateNames();

    /** The base learning rate, which a {@link LearningRateSchedule} scales per step. */
    double learningRate();

    /**
     * One step, in place. All vectors are flat FLOAT {@code [P]}.
     *
     * @param parameters    θ, updated in place
     * @param gradient      the gradient, not modified; the step uses {@code gradientScale × gradient}
     * @param gradientScale folds the mean over examples and gradient clipping into the step, so neither needs a pass
     * @param state         the vectors named by {@link #stateNames()}, in that order, zero before the first step;
     *                      updated in place
     * @param step          the number of this step, 1 for the first (bias corrections use it)
     * @param learningRate  this step's learning rate (the base rate times the schedule's factor)
     */
    void step(INDArray parameters, INDArray gradient, double gradientScale, List<INDArray> state, long step,
              double learningRate);
}
