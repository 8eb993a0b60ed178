package org.score4j.api;

/**
 * Thrown when a computation produces NaN or infinity: a diverging loss, gradient or sampler state.
 * The message says what diverged, where (step, level) and, where known, which component.
 */
public class NonFiniteException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The hint of samplers that step between grid values. */
    public static final String COARSE_GRID = "the score is not finite there, or the grid is too coarse";

    public NonFiniteException(String message) {
        super(message);
    }

    /**
     * Throws, naming the sampler, the step and the level, if a chain state is NaN or infinite: the check every sampler
     * makes after each step.
     *
     * @param hint what to change, said after the diagnosis (e.g. "try a smaller step-size")
     */
    public static void requireFiniteChains(org.nd4j.linalg.api.ndarray.INDArray x, String sampler, long step,
                                           double sigma, String hint) {
        if (!org.score4j.api.tensors.Tensors.allFinite(x)) {
            throw new NonFiniteException(sampler + " diverged at step " + step + " (σ = " + sigma
                    + "): a chain state is NaN or infinite; " + hint);
        }
    }
}
