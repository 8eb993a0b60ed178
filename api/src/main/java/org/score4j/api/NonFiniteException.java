package org.score4j.api;

/**
 * Thrown when a computation produces NaN or infinity: a diverging loss, gradient or sampler state.
 * The message says what diverged, where (step, level) and, where known, which component.
 */
public class NonFiniteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NonFiniteException(String message) {
        super(message);
    }
}
