package org.score4j.core.likelihood;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.tensors.Tensors;

/**
 * The density the probability-flow ODE ends in at σ_max: the likelihood's first term, log p_{σ_max}(y) at the end point
 * y of each example's path.
 */
@FunctionalInterface
public interface PriorDensity {

    /**
     * @param y end points {@code [N, D]}, DOUBLE (examples flattened)
     * @return N log-densities, in nats
     */
    double[] logDensity(INDArray y);

    /**
     * log N(y; 0, σ²·I), the prior of the variance-exploding SDE at σ = σ_max: what sampling starts from. Perturbed data
     * have covariance Σ_data + σ²I, not σ²I, so this prior is off by roughly yᵀμ/σ² per example (μ the data mean) and
     * by KL(q_σ ‖ N(0, σ²I)) ≈ (‖μ‖² + tr Σ_data)/(2σ²) on average: negligible only when σ_max is large against the
     * data's scale. The likelihood reports this term apart ({@link LikelihoodResult#logPrior()}).
     */
    static PriorDensity gaussian(double sigma) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("σ must be finite and > 0, got " + sigma);
        }
        return y -> {
            int n = (int) y.size(0);
            double[] v = Tensors.doubles(y);
            int d = n == 0 ? 0 : v.length / n;
            double constant = -0.5 * d * Math.log(2 * Math.PI * sigma * sigma);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                double sq = 0;
                for (int j = i * d; j < (i + 1) * d; j++) {
                    sq += v[j] * v[j];
                }
                out[i] = constant - sq / (2 * sigma * sigma);
            }
            return out;
        };
    }
}
