package com.example.score4j;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.LangevinStep;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.ProgressListener;
import org.score4j.api.Sampler;
import org.score4j.api.ScoreFunction;
import org.score4j.api.random.RandomSource;

/**
 * The predictor-corrector sampler of score-based SDEs (Song et al. 2021) for the variance-exploding SDE. The
 * chains start from the SDE's prior N(0, σ_1²·I) (with {@code prior-start}; otherwise from the given start). At
 * each level σ_i, from largest to smallest: {@code corrector-steps} Langevin steps of α_i = 4(snr·σ_i)² (the
 * annealed-Langevin corrector of score SDEs, converted by {@link LangevinStep#fromSnr}), then a predictor step to
 * the next level with Δ = σ_i² − σ_{i+1}²:
 * <ul>
 *   <li>{@code ancestral}: x ← x + Δ·s(x, σ_i) + √(σ_{i+1}²·Δ/σ_i²)·z, exact for a point mass at any step size;</li>
 *   <li>{@code reverse-diffusion}: x ← x + Δ·s(x, σ_i) + √Δ·z, the Euler–Maruyama step of the reverse SDE, which
 *       needs many closely spaced levels.</li>
 * </ul>
 * After the last level the predictor goes to σ = 0, where it adds no noise: the Tweedie step x + σ_L²·s(x, σ_L).
 *
 * <p>The corrector's step depends on the level alone. Score SDE's other corrector sets it from the ratio of the noise
 * and score norms averaged over the batch, which would make a chain depend on the others in its batch; per chain,
 * that ratio explodes for chains that sit near a mode, where the score is nearly zero.
 */
public final class PredictorCorrectorSampler implements Sampler {
    /** The predictor step between levels. */
    public enum Predictor { ANCESTRAL, REVERSE_DIFFUSION }

    private final Predictor predictor;
    private final double snr;
    private final int correctorSteps;
    private final boolean priorStart;

    /**
     * @param predictor      the step from one level to the next
     * @param snr            the corrector's signal-to-noise ratio r &gt; 0
     * @param correctorSteps Langevin steps per level, ≥ 0 (0: the predictor alone)
     * @param priorStart     whether chains start from N(0, σ_1²·I) instead of the given start
     */
    public PredictorCorrectorSampler(Predictor predictor, double snr, int correctorSteps, boolean priorStart) {
        this.predictor = Objects.requireNonNull(predictor, "predictor");
        if (!(snr > 0) || !Double.isFinite(snr) || correctorSteps < 0) {
            throw new IllegalArgumentException("need snr > 0 and corrector-steps >= 0, got " + snr + ", " + correctorSteps);
        }
        this.snr = snr;
        this.correctorSteps = correctorSteps;
        this.priorStart = priorStart;
    }

    @Override
    public INDArray sample(ScoreFunction score, NoiseSchedule schedule, INDArray start, RandomSource noise,
                           ProgressListener progress) {
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(progress, "progress");
        INDArray x = priorStart ? noise.normal(start.shape()).castTo(start.dataType()).muli(schedule.largest()) : start.dup();
        long total = evaluations(schedule);
        long done = 0;
        for (int level = 0; level < schedule.size(); level++) {
            double sigma = schedule.sigma(level);
            double alpha = LangevinStep.fromSnr(snr, sigma);
            for (int m = 0; m < correctorSteps; m++) {
                LangevinStep.apply(x, score.score(x, sigma), alpha, noise.normal(x.shape()));
                LangevinStep.checkFinite(x, "predictor-corrector (corrector)", done + 1, sigma);
                progress.progress(++done, total);
            }
            boolean last = level == schedule.size() - 1;
            double next = last ? 0 : schedule.sigma(level + 1);
            double jump = sigma * sigma - next * next;
            INDArray s = score.score(x, sigma);
            x.addi(s.mul(jump));
            if (!last) {
                double spread = predictor == Predictor.ANCESTRAL ? next * next * jump / (sigma * sigma) : jump;
                x.addi(noise.normal(x.shape()).castTo(x.dataType()).muli(Math.sqrt(spread)));
            }
            LangevinStep.checkFinite(x, "predictor-corrector (predictor)", done + 1, sigma);
            progress.progress(++done, total);
        }
        return x;
    }

    @Override
    public long evaluations(NoiseSchedule schedule) {
        return (long) schedule.size() * (correctorSteps + 1);
    }

    @Override
    public String toString() {
        return "predictor-corrector(" + predictor + ", snr=" + snr + ", M=" + correctorSteps + ", prior-start=" + priorStart + ")";
    }
}
