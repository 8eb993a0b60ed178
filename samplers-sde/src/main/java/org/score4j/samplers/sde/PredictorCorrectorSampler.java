package org.score4j.samplers.sde;

import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.LangevinStep;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Sampler;
import org.score4j.api.SamplerStep;
import org.score4j.api.NonFiniteException;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.StepListener;
import org.score4j.api.random.RandomSource;

/**
 * Predictor-corrector sampling of the variance-exploding SDE (Song et al. 2021, "Score-based generative modeling
 * through stochastic differential equations", Algorithm 2, "PC sampling (VE SDE)"), with the reverse-diffusion
 * predictor ({@link ReverseDiffusionSampler}) and the annealed-Langevin corrector. At every positive grid level σ_i:
 * <ol>
 *   <li>M corrector steps x ← x + (α_i/2)·s(x, σ_i) + √α_i·z with α_i = 4(r·σ_i)², r the signal-to-noise ratio
 *       ({@link LangevinStep#fromSnr}: score SDE's {@code AnnealedLangevinDynamics} corrector steps 2(r·σ)² in the
 *       reference-code form);</li>
 *   <li>then, if a grid value follows, the predictor step to it, without noise (the Tweedie step) when it is 0.</li>
 * </ol>
 * This is the order of score SDE's code (corrector at the current level, then predictor), which keeps every
 * evaluation at σ &gt; 0; the paper's Algorithm 2 writes the predictor first. Chains start from the prior
 * N(0, σ₀²·I) ({@link Sampler.Start#PRIOR}).
 *
 * <p>The corrector's step depends on the level alone. Score SDE's other corrector ({@code LangevinCorrector},
 * Algorithm 4) sets it from the ratio of noise and score norms averaged over the batch, which would make a chain
 * depend on the others in its batch. Defaults: r = 0.16 and M = 1, score SDE's settings for its VE models on
 * CIFAR-10.
 *
 * <p>Cost: L·M + n − 1 evaluations for n grid values of which L are positive. The listener hears every corrector step
 * (σ = σ_i) and every predictor step (σ = σ_{i+1}).
 *
 * <p><b>Refused settings.</b> r ≥ 1, which makes α_i ≥ 4σ_i²: Langevin then diverges on data concentrated near a
 * point (see the annealed-Langevin sampler).
 */
public final class PredictorCorrectorSampler implements Sampler {
    static final String NAME = "predictor-corrector";
    private final double snr;
    private final int correctorSteps;

    /**
     * @param snr            the corrector's signal-to-noise ratio r, in (0, 1)
     * @param correctorSteps Langevin steps per level, ≥ 0 (0: reverse diffusion alone)
     */
    public PredictorCorrectorSampler(double snr, int correctorSteps) {
        if (!(snr > 0 && snr < 1) || correctorSteps < 0) {
            throw new IllegalArgumentException("need 0 < snr < 1 and corrector-steps >= 0, got " + snr + ", "
                    + correctorSteps);
        }
        this.snr = snr;
        this.correctorSteps = correctorSteps;
    }

    @Override
    public INDArray sample(ScoreFunction score, SamplingGrid grid, INDArray start, RandomSource noise,
                           StepListener listener) {
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(listener, "listener");
        INDArray x = start.dup();
        NoiseSchedule levels = grid.levels();
        long step = 0;
        for (int i = 0; i < levels.size(); i++) {
            double sigma = levels.sigma(i);
            double alpha = LangevinStep.fromSnr(snr, sigma);
            for (int m = 0; m < correctorSteps; m++) {
                LangevinStep.apply(x, score.score(x, sigma), alpha, noise.normalLike(x));
                NonFiniteException.requireFiniteChains(x, NAME + " (corrector)", ++step, sigma, NonFiniteException.COARSE_GRID);
                listener.afterStep(new SamplerStep(step, step, sigma, x, null));
            }
            if (i + 1 < grid.size()) {
                double next = grid.sigma(i + 1);
                INDArray denoised = ReverseDiffusionSampler.step(x, score, sigma, next, noise);
                NonFiniteException.requireFiniteChains(x, NAME + " (predictor)", ++step, next, NonFiniteException.COARSE_GRID);
                listener.afterStep(new SamplerStep(step, step, next, x, denoised));
            }
        }
        return x;
    }

    @Override
    public long evaluations(SamplingGrid grid) {
        return (long) grid.levels().size() * correctorSteps + grid.size() - 1;
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
        return NAME + "(snr=" + snr + ", M=" + correctorSteps + ")";
    }
}
