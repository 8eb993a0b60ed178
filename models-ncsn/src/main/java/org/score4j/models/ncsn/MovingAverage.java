package org.score4j.models.ncsn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The exponential moving average of parameters that the NCSN models score with: θ̄ ← r_t θ̄ + (1 − r_t) θ after
 * optimizer step t (1-based), r_t = min(r, (1 + t)/(10 + t)) so that early steps are not dominated by the
 * initialisation.
 */
final class MovingAverage {
    private MovingAverage() {
    }

    /** Updates {@code average} in place after step {@code step}: one fused pass where {@link FusedKernels} run. */
    static void update(INDArray average, INDArray parameters, double rate, long step) {
        if (FusedKernels.available()) {
            FusedKernels.movingAverage(average, parameters, weight(rate, step));
        } else {
            updateWithNd4j(average, parameters, rate, step);
        }
    }

    /** {@link #update} as ND4J operations (the path without {@link FusedKernels}, and the tests' reference). */
    static void updateWithNd4j(INDArray average, INDArray parameters, double rate, long step) {
        double r = weight(rate, step);
        average.muli(r).addi(parameters.mul(1 - r));
    }

    /** r_t: the weight of the old average after step {@code step}. */
    static double weight(double rate, long step) {
        return Math.min(rate, (1.0 + step) / (10.0 + step));
    }
}
