package org.score4j.api.spi;

/**
 * How large a model is, computed from its architecture without allocating anything, so the runner can refuse a
 * configuration whose memory would exceed its budget before building it. Doubles, so that absurd architectures are
 * counted without overflow.
 *
 * @param parameters            the number of trainable parameters P
 * @param activationsPerExample the floats a training forward pass keeps per example for its backward pass (an
 *                              estimate; the runner multiplies it by the batch size)
 */
public record ModelFootprint(double parameters, double activationsPerExample) {
    public ModelFootprint {
        if (!(parameters >= 0) || !(activationsPerExample >= 0)) {
            throw new IllegalArgumentException("a footprint counts >= 0 values, got " + parameters + ", "
                    + activationsPerExample);
        }
    }
}
