package org.score4j.samplers.sde;

import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Sampler;
import org.score4j.api.SamplerStep;
import org.score4j.api.NonFiniteException;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.StepListener;
import org.score4j.api.random.RandomSource;

/**
 * The stochastic sampler of Karras, Aittala, Aila and Laine 2022 ("Elucidating the design space of diffusion-based
 * generative models", Algorithm 2), in the variance-exploding form with the denoiser D(x, σ) = x + σ²·s(x, σ)
 * ({@link ScoreFunction#denoise}). For each step i = 0 … N−1 between grid values t_i = σ_i and t_{i+1} (N = n − 1):
 * <ol>
 *   <li>churn: γ_i = min(S_churn/N, √2 − 1) when t_i ∈ [S_tmin, S_tmax], else 0; t̂ = (1 + γ_i)·t_i and
 *       x̂ = x + √(t̂² − t_i²)·S_noise·z (no noise drawn when γ_i = 0);</li>
 *   <li>Euler: d = (x̂ − D(x̂, t̂))/t̂, x' = x̂ + (t_{i+1} − t̂)·d;</li>
 *   <li>Heun's correction unless t_{i+1} = 0: d' = (x' − D(x', t_{i+1}))/t_{i+1},
 *       x' = x̂ + (t_{i+1} − t̂)·(d + d')/2.</li>
 * </ol>
 * d is dx/dσ of the probability-flow ODE, −σ·s. The defaults S_churn = 0, S_tmin = 0, S_tmax = 10³⁰ (no upper limit),
 * S_noise = 1 are those of k-diffusion's {@code sample_heun}, a setting for any data (the paper tunes the four per
 * data set and model in its appendix); with S_churn = 0 the sampler is deterministic Heun on the
 * probability-flow ODE, the paper's Algorithm 1. Karras et al. pair it with their ρ-schedule (the {@code karras}
 * schedule) followed by 0. Chains start from the prior N(0, σ₀²·I) ({@link Sampler.Start#PRIOR}).
 *
 * <p>Cost: 2N − 1 evaluations when the grid ends at 0, 2N otherwise. The listener hears each step with
 * σ = t_{i+1} and D(x̂, t̂) as the denoised estimate (k-diffusion's callback reports the same).
 */
public final class EdmSampler implements Sampler {
    static final String NAME = "edm";
    private static final double MAX_GAMMA = Math.sqrt(2) - 1;
    private final double churn;
    private final double tMin;
    private final double tMax;
    private final double noiseScale;

    /**
     * @param churn      S_churn ≥ 0: how much noise to add back in all, spread over the steps
     * @param tMin       S_tmin ≥ 0: churn only at levels ≥ this
     * @param tMax       S_tmax ≥ S_tmin: churn only at levels ≤ this
     * @param noiseScale S_noise &gt; 0: the standard deviation of the added noise, relative
     */
    public EdmSampler(double churn, double tMin, double tMax, double noiseScale) {
        if (!(churn >= 0) || !Double.isFinite(churn) || !(tMin >= 0) || !(tMax >= tMin) || !Double.isFinite(tMax)
                || !(noiseScale > 0) || !Double.isFinite(noiseScale)) {
            throw new IllegalArgumentException("need s-churn >= 0, 0 <= s-tmin <= s-tmax and s-noise > 0, all finite, got "
                    + churn + ", " + tMin + ", " + tMax + ", " + noiseScale);
        }
        this.churn = churn;
        this.tMin = tMin;
        this.tMax = tMax;
        this.noiseScale = noiseScale;
    }

    @Override
    public INDArray sample(ScoreFunction score, SamplingGrid grid, INDArray start, RandomSource noise,
                           StepListener listener) {
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(listener, "listener");
        int steps = grid.size() - 1;
        INDArray x = start.dup();
        long evaluations = 0;
        for (int i = 0; i < steps; i++) {
            double t = grid.sigma(i);
            double next = grid.sigma(i + 1);
            double gamma = t >= tMin && t <= tMax ? Math.min(churn / steps, MAX_GAMMA) : 0;
            double tHat = t * (1 + gamma);
            if (gamma > 0) {
                x.addi(noise.normalLike(x).muli(noiseScale * Math.sqrt(tHat * tHat - t * t)));
            }
            INDArray denoised = score.denoise(x, tHat);
            evaluations++;
            INDArray d = x.sub(denoised).divi(tHat);
            INDArray euler = x.add(d.mul(next - tHat));
            if (next > 0) {
                INDArray dNext = euler.sub(score.denoise(euler, next)).divi(next);
                evaluations++;
                x = x.add(d.addi(dNext).muli((next - tHat) / 2));
            } else {
                x = euler;
            }
            NonFiniteException.requireFiniteChains(x, NAME, i + 1, next, NonFiniteException.COARSE_GRID);
            listener.afterStep(new SamplerStep(i + 1, evaluations, next, x, denoised));
        }
        return x;
    }

    @Override
    public long evaluations(SamplingGrid grid) {
        return 2L * (grid.size() - 1) - (grid.endsAtZero() ? 1 : 0);
    }

    @Override
    public Optional<String> incompatibility(SamplingGrid grid) {
        return grid.needsTwoValues(NAME);
    }

    @Override
    public Start start() {
        return Start.PRIOR;
    }

    @Override
    public String toString() {
        return NAME + "(s-churn=" + churn + ", s-tmin=" + tMin + ", s-tmax=" + tMax + ", s-noise=" + noiseScale + ")";
    }
}
