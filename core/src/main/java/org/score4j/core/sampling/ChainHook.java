package org.score4j.core.sampling;

import java.util.function.IntFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.StepListener;

/**
 * What takes part in each batch of a sampling run: it may change the chains' start, and gives the batch's step
 * listener. Trajectories and progress only listen; conditioning on observed values (inpainting, imputation) also sets
 * the observed coordinates of the start and of every step.
 */
public interface ChainHook {

    /**
     * Changes the start of the chains {@code [first, first + n)} in place, before the first step.
     *
     * @param sigma the noise level of the start (the grid's largest)
     */
    default void start(long first, INDArray start, double sigma) {
    }

    /** The listener of batch {@code b}, whose chains are {@code [first, first + n)}. */
    StepListener listener(int b, long first, int n);

    /** A hook that only listens. */
    static ChainHook listening(IntFunction<StepListener> listeners) {
        return (b, first, n) -> listeners.apply(b);
    }
}
