package org.score4j.samplers.langevin;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.LangevinStep;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.ProgressListener;
import org.score4j.api.Sampler;
import org.score4j.api.ScoreFunction;
import org.score4j.api.random.RandomSource;

/**
 * Langevin dynamics at one noise level, the schedule's smallest σ_L: T steps of
 * x ← x + (ε/2)·s(x, σ_L) + √ε·z. Without annealing, chains rarely cross between distant modes,
 * so mode weights stay near the start's split (the "slow mixing" pitfall).
 */
public final class LangevinSampler implements Sampler {
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
    public INDArray sample(ScoreFunction score, NoiseSchedule schedule, INDArray start, RandomSource noise,
                           ProgressListener progress) {
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(progress, "progress");
        double sigma = schedule.smallest();
        INDArray x = start.dup();
        for (int t = 0; t < steps; t++) {
            INDArray s = score.score(x, sigma);
            LangevinStep.apply(x, s, stepSize, noise.normal(x.shape()));
            LangevinStep.checkFinite(x, "langevin", t + 1, sigma);
            progress.progress(t + 1, steps);
        }
        return x;
    }

    @Override
    public long evaluations(NoiseSchedule schedule) {
        return steps;
    }

    @Override
    public String toString() {
        return "langevin(ε=" + stepSize + ", T=" + steps + ")";
    }
}
