package org.score4j.samplers.annealed;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.LangevinStep;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.ProgressListener;
import org.score4j.api.Sampler;
import org.score4j.api.ScoreFunction;
import org.score4j.api.random.RandomSource;

/**
 * Annealed Langevin dynamics (NCSN, Algorithm 1): for each level σ_i from largest to smallest,
 * α_i = ε·σ_i²/σ_L² and T steps of x ← x + (α_i/2)·s(x, σ_i) + √α_i·z; then, optionally, the
 * Tweedie denoising step x ← x + σ_L²·s(x, σ_L), which removes the noise of the last level.
 *
 * <p>Converting other conventions: the NCSN reference code's {@code step_lr} is ε/2; score SDE's
 * corrector with signal-to-noise r uses α_i = 2(r·σ_i)² (see {@link LangevinStep}).
 */
public final class AnnealedLangevinSampler implements Sampler {
    private final double stepSize;
    private final int stepsPerLevel;
    private final boolean denoise;

    /**
     * @param stepSize      ε &gt; 0: the step at the smallest level
     * @param stepsPerLevel T ≥ 1
     * @param denoise       whether to finish with the Tweedie denoising step
     */
    public AnnealedLangevinSampler(double stepSize, int stepsPerLevel, boolean denoise) {
        if (!(stepSize > 0) || !Double.isFinite(stepSize) || stepsPerLevel < 1) {
            throw new IllegalArgumentException("need step-size > 0 and steps-per-level >= 1, got " + stepSize
                    + ", " + stepsPerLevel);
        }
        this.stepSize = stepSize;
        this.stepsPerLevel = stepsPerLevel;
        this.denoise = denoise;
    }

    @Override
    public INDArray sample(ScoreFunction score, NoiseSchedule schedule, INDArray start, RandomSource noise,
                           ProgressListener progress) {
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(progress, "progress");
        INDArray x = start.dup();
        double last = schedule.smallest();
        long total = evaluations(schedule);
        long done = 0;
        for (int level = 0; level < schedule.size(); level++) {
            double sigma = schedule.sigma(level);
            double alpha = stepSize * (sigma * sigma) / (last * last);
            for (int t = 0; t < stepsPerLevel; t++) {
                LangevinStep.apply(x, score.score(x, sigma), alpha, noise.normal(x.shape()));
                LangevinStep.checkFinite(x, "annealed-langevin", done + 1, sigma);
                progress.progress(++done, total);
            }
        }
        if (denoise) {
            LangevinStep.denoise(x, score.score(x, last), last);
            LangevinStep.checkFinite(x, "annealed-langevin (denoising step)", done + 1, last);
            progress.progress(++done, total);
        }
        return x;
    }

    @Override
    public long evaluations(NoiseSchedule schedule) {
        return (long) schedule.size() * stepsPerLevel + (denoise ? 1 : 0);
    }

    @Override
    public String toString() {
        return "annealed-langevin(ε=" + stepSize + ", T=" + stepsPerLevel + ", denoise=" + denoise + ")";
    }
}
