package org.score4j.samplers.annealed;

import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.LangevinStep;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Sampler;
import org.score4j.api.SamplerStep;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.StepListener;
import org.score4j.api.random.RandomSource;

/**
 * Annealed Langevin dynamics (Song &amp; Ermon 2019, "Generative modeling by estimating gradients of the data
 * distribution", Algorithm 1) on the grid's positive levels σ_1 &gt; … &gt; σ_L: at each level, from largest to
 * smallest, α_i = ε·σ_i²/σ_L² and T steps of x ← x + (α_i/2)·s(x, σ_i) + √α_i·z ({@link LangevinStep}'s convention);
 * then, when the grid ends at 0, the Tweedie denoising step x ← D(x, σ_L) = x + σ_L²·s(x, σ_L), which removes the
 * noise of the last level (Jolicoeur-Martineau et al. 2020 show how much it matters). Chains start in the box
 * ({@link Sampler.Start#BOX}), as in NCSN.
 *
 * <p>The listener hears every Langevin step (σ = σ_i, no denoised estimate) and the denoising step (σ = 0, its
 * result as the estimate).
 *
 * <p>Converting other conventions: the NCSN reference code's {@code step_lr} is ε/2; score SDE's corrector with
 * signal-to-noise r uses α_i = 4(r·σ_i)² (see {@link LangevinStep}).
 *
 * <p><b>Refused settings.</b> ε ≥ 4σ_L², i.e. α_i ≥ 4σ_i² at every level: q_σ is never more concentrated than
 * N(μ, σ²I), the perturbed density of data at a single point, and there a step multiplies x − μ by
 * 1 − α_i/(2σ_i²) ≤ −1, so the chains oscillate with growing amplitude. Smaller steps may still be too coarse; the
 * rule only refuses what cannot work.
 */
public final class AnnealedLangevinSampler implements Sampler {
    private static final String NAME = "annealed-langevin";
    private final double stepSize;
    private final int stepsPerLevel;

    /**
     * @param stepSize      ε &gt; 0: the step at the smallest level
     * @param stepsPerLevel T ≥ 1
     */
    public AnnealedLangevinSampler(double stepSize, int stepsPerLevel) {
        if (!(stepSize > 0) || !Double.isFinite(stepSize) || stepsPerLevel < 1) {
            throw new IllegalArgumentException("need step-size > 0 and steps-per-level >= 1, got " + stepSize
                    + ", " + stepsPerLevel);
        }
        this.stepSize = stepSize;
        this.stepsPerLevel = stepsPerLevel;
    }

    @Override
    public INDArray sample(ScoreFunction score, SamplingGrid grid, INDArray start, RandomSource noise,
                           StepListener listener) {
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(listener, "listener");
        INDArray x = start.dup();
        NoiseSchedule levels = grid.levels();
        double last = levels.smallest();
        long step = 0;
        for (int level = 0; level < levels.size(); level++) {
            double sigma = levels.sigma(level);
            double alpha = stepSize * (sigma * sigma) / (last * last);
            for (int t = 0; t < stepsPerLevel; t++) {
                LangevinStep.apply(x, score.score(x, sigma), alpha, noise.normal(x.shape()));
                LangevinStep.checkFinite(x, NAME, ++step, sigma);
                listener.afterStep(new SamplerStep(step, step, sigma, x, null));
            }
        }
        if (grid.endsAtZero()) {
            LangevinStep.denoise(x, score.score(x, last), last);
            LangevinStep.checkFinite(x, NAME + " (denoising step)", ++step, last);
            listener.afterStep(new SamplerStep(step, step, 0, x, x.dup()));
        }
        return x;
    }

    @Override
    public long evaluations(SamplingGrid grid) {
        return (long) grid.levels().size() * stepsPerLevel + (grid.endsAtZero() ? 1 : 0);
    }

    @Override
    public Optional<String> incompatibility(SamplingGrid grid) {
        double last = grid.smallestPositive();
        double limit = 4 * last * last;
        if (stepSize >= limit) {
            return Optional.of(NAME + ": step-size " + stepSize + " is at least 4σ_L² = " + limit + " (σ_L = " + last
                    + ", the grid's smallest level), so every level steps α_i ≥ 4σ_i², where x + (α/2)·s + √α·z "
                    + "diverges on data concentrated near a point; use a step-size below " + limit);
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return NAME + "(ε=" + stepSize + ", T=" + stepsPerLevel + ")";
    }
}
