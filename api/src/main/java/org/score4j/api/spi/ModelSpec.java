package org.score4j.api.spi;

import java.util.Objects;

/**
 * What a model needs to know about the data and the training run to be built.
 *
 * @param exampleShape shape of one example, e.g. {@code [2]}
 * @param dataScale    the data's standard deviation (over all coordinates), used by models that
 *                     normalise their input by √(σ² + dataScale²); &gt; 0
 * @param optimizer    optimizer settings
 * @param seed         seed of the parameter initialisation
 */
public record ModelSpec(long[] exampleShape, double dataScale, Optimizer optimizer, long seed) {

    public ModelSpec {
        Objects.requireNonNull(exampleShape, "exampleShape");
        Objects.requireNonNull(optimizer, "optimizer");
        exampleShape = exampleShape.clone();
        if (!(dataScale > 0) || !Double.isFinite(dataScale)) {
            throw new IllegalArgumentException("dataScale must be finite and > 0, got " + dataScale);
        }
    }

    @Override
    public long[] exampleShape() {
        return exampleShape.clone();
    }

    /**
     * Adam optimizer settings.
     *
     * @param learningRate step size, &gt; 0
     * @param beta1        first-moment decay in [0, 1)
     * @param beta2        second-moment decay in [0, 1)
     * @param clipNorm     clip the global gradient norm to this value; 0 disables clipping
     * @param emaRate      decay r of an exponential moving average of the parameters, in [0, 1); a model
     *                     scores with the average (θ̄ ← r_t θ̄ + (1 − r_t) θ after each step, with
     *                     r_t = min(r, (1 + t)/(10 + t)) so that early steps are not dominated by the
     *                     initialisation) and saves it; 0 scores with the parameters themselves
     */
    public record Optimizer(double learningRate, double beta1, double beta2, double clipNorm, double emaRate) {
        /** Without a moving average. */
        public Optimizer(double learningRate, double beta1, double beta2, double clipNorm) {
            this(learningRate, beta1, beta2, clipNorm, 0);
        }

        public Optimizer {
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
            }
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("beta1 and beta2 must be in [0, 1)");
            }
            if (!(clipNorm >= 0)) {
                throw new IllegalArgumentException("clipNorm must be >= 0, got " + clipNorm);
            }
            if (!(emaRate >= 0 && emaRate < 1)) {
                throw new IllegalArgumentException("emaRate must be in [0, 1), got " + emaRate);
            }
        }
    }
}
