package org.score4j.samplers.langevin;

import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.LangevinStep;
import org.score4j.api.Sampler;
import org.score4j.api.SamplerStep;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.StepListener;
import org.score4j.api.random.RandomSource;

/**
 * Langevin dynamics at one noise level, the grid's smallest positive σ_L: T steps of x ← x + (ε/2)·s(x, σ_L) + √ε·z
 * ({@link LangevinStep}'s convention); then, when the grid ends at 0, the Tweedie denoising step
 * x ← D(x, σ_L) = x + σ_L²·s(x, σ_L). The grid's other levels are not visited. Without annealing, chains rarely cross
 * between distant modes, so mode weights stay near the start's split (the "slow mixing" pitfall). Chains start in the
 * box ({@link Sampler.Start#BOX}).
 *
 * <p>The listener hears the T Langevin steps (σ = σ_L, no denoised estimate) and the denoising step (σ = 0, its
 * result as the estimate).
 *
 * <p><b>Refused settings.</b> ε ≥ 4σ_L²: the perturbed density q_σ is never more concentrated than N(μ, σ²I), the
 * perturbed density of data at a single point, and there the update multiplies x − μ by 1 − ε/(2σ²), which is −1 or
 * below: the chains oscillate with growing amplitude instead of converging. Data concentrated near a lower-dimensional
 * set (images) behave so in most directions. Smaller steps may still be too coarse; this rule only refuses what
 * cannot work.
 */
public final class LangevinSampler implements Sampler {
    private static final String NAME = "langevin";
    private final double stepSize;
    private final int steps;

    /**
     * @param stepSize ε &gt; 0, in squared data units
     * @param steps    T ≥ 1
     */
    public LangevinSampler(double stepSize, int steps) {
        if (!(stepSize > 0) || !Double.isFinite(stepSize) || steps < 1) {
            throw new IllegalArgumentException("need step-size > 0 and steps >= 1, got " + stepSize + ", " + steps);
        }
        this.stepSize = stepSize;
        this.steps = steps;
    }

    @Override
    public INDArray sample(ScoreFunction score, SamplingGrid grid, INDArray start, RandomSource noise,
                           StepListener listener) {
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(listener, "listener");
        double sigma = grid.smallestPositive();
        INDArray x = start.dup();
        long step = 0;
        for (int t = 0; t < steps; t++) {
            LangevinStep.apply(x, score.score(x, sigma), stepSize, noise.normal(x.shape()));
            LangevinStep.checkFinite(x, NAME, ++step, sigma);
            listener.afterStep(new SamplerStep(step, step, sigma, x, null));
        }
        if (grid.endsAtZero()) {
            LangevinStep.denoise(x, score.score(x, sigma), sigma);
            LangevinStep.checkFinite(x, NAME + " (denoising step)", ++step, sigma);
            listener.afterStep(new SamplerStep(step, step, 0, x, x.dup()));
        }
        return x;
    }

    @Override
    public long evaluations(SamplingGrid grid) {
        return steps + (grid.endsAtZero() ? 1 : 0);
    }

    @Override
    public Optional<String> incompatibility(SamplingGrid grid) {
        double sigma = grid.smallestPositive();
        double limit = 4 * sigma * sigma;
        if (stepSize >= limit) {
            return Optional.of(NAME + ": step-size " + stepSize + " is at least 4σ² = " + limit + " at the grid's "
                    + "smallest level σ = " + sigma + ", where x + (ε/2)·s + √ε·z diverges on data concentrated "
                    + "near a point; use a step-size below " + limit);
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return NAME + "(ε=" + stepSize + ", T=" + steps + ")";
    }
}
