package org.score4j.samplers.sde;

import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Sampler;
import org.score4j.api.SamplerStep;
import org.score4j.api.NonFiniteException;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.StepListener;
import org.score4j.api.random.RandomSource;

/**
 * Consistent annealed sampling (Jolicoeur-Martineau, Piché-Taillefer, Tachet des Combes and Mitliagkas 2020,
 * "Adversarial score matching and improved sampling for image generation", Algorithm 2) on geometric levels
 * σ_{i+1} = γ·σ_i. With η = ε/σ_L² (σ_L the smallest positive level), one step per level:
 * <pre>x ← x + η·σ_i²·s(x, σ_i) + β·σ_{i+1}·z,    β = √(1 − (1 − η)²/γ²)</pre>
 * β is chosen so that a point at noise level σ_i lands at exactly σ_{i+1} (for a point mass the noise left is
 * √((1 − η)²σ_i² + β²σ_{i+1}²) = σ_{i+1}), which the paper shows annealed Langevin does not achieve. The update is not
 * a Langevin step: η·σ_i²·s has the form of the reference code's a·s, and ε is the paper's (and its code's)
 * {@code step_lr}, not the ε of {@code annealed-langevin}.
 *
 * <p>The last step goes to the grid's last value. When that is 0 it is the Tweedie step x ← D(x, σ_L) = x + σ_L²·s
 * (the paper's final step with η = 1: its algorithm's σ_{L+1} = 0 leaves (1 − η)·σ_L of noise, which the paper
 * removes by denoising the result, as {@code denoised_x} in its code); otherwise the consistent step lands at the last
 * level, whose score is never evaluated. Chains start from the prior N(0, σ₀²·I) ({@link Sampler.Start#PRIOR}): the
 * consistency argument needs x at noise level σ₀.
 *
 * <p>Cost: n − 1 evaluations for n grid values. The listener hears each step with σ = σ_{i+1}; a denoised estimate only
 * on the step to 0. The default ε = 0.5 suits score4j's default grid (10 levels from 20 to 1: γ = 0.717), where
 * it is close to η = 1 − γ², for which the step is score SDE's ancestral sampling.
 *
 * <p><b>Refused grids and settings</b> ({@link #incompatibility}): fewer than two positive levels (no γ); levels whose
 * ratios σ_{i+1}/σ_i differ by more than 10⁻⁶ relative (not geometric: use the {@code geometric} schedule); and
 * (1 − η)² &gt; γ², where β is not real, i.e. ε outside [σ_L²(1 − γ), σ_L²(1 + γ)] (the paper's code asserts the same).
 */
public final class ConsistentAnnealedSampler implements Sampler {
    static final String NAME = "consistent-annealed";
    /** The relative spread of level ratios still taken as geometric: the rounding of any schedule's powers. */
    static final double RATIO_TOLERANCE = 1e-6;
    private final double stepSize;

    /** @param stepSize ε &gt; 0, in squared data units */
    public ConsistentAnnealedSampler(double stepSize) {
        if (!(stepSize > 0) || !Double.isFinite(stepSize)) {
            throw new IllegalArgumentException("step-size must be finite and > 0, got " + stepSize);
        }
        this.stepSize = stepSize;
    }

    @Override
    public INDArray sample(ScoreFunction score, SamplingGrid grid, INDArray start, RandomSource noise,
                           StepListener listener) {
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(listener, "listener");
        incompatibility(grid).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        NoiseSchedule levels = grid.levels();
        double eta = stepSize / (levels.smallest() * levels.smallest());
        double gamma = levels.sigma(1) / levels.sigma(0);
        double beta = Math.sqrt(Math.max(0, 1 - (1 - eta) * (1 - eta) / (gamma * gamma)));
        INDArray x = start.dup();
        for (int i = 0; i + 1 < grid.size(); i++) {
            double sigma = grid.sigma(i);
            double next = grid.sigma(i + 1);
            INDArray s = score.score(x, sigma);
            INDArray denoised = null;
            if (next == 0) {
                x.addi(s.muli(sigma * sigma));
                denoised = x.dup();
            } else {
                x.addi(s.muli(eta * sigma * sigma)).addi(noise.normalLike(x).muli(beta * next));
            }
            NonFiniteException.requireFiniteChains(x, NAME, i + 1, next, NonFiniteException.COARSE_GRID);
            listener.afterStep(new SamplerStep(i + 1, i + 1, next, x, denoised));
        }
        return x;
    }

    @Override
    public long evaluations(SamplingGrid grid) {
        return grid.size() - 1;
    }

    @Override
    public Optional<String> incompatibility(SamplingGrid grid) {
        NoiseSchedule levels = grid.levels();
        if (levels.size() < 2) {
            return Optional.of(NAME + " needs at least two positive levels to define their ratio γ, got " + grid);
        }
        double gamma = levels.sigma(1) / levels.sigma(0);
        for (int i = 1; i + 1 < levels.size(); i++) {
            double ratio = levels.sigma(i + 1) / levels.sigma(i);
            if (Math.abs(ratio - gamma) > RATIO_TOLERANCE * gamma) {
                return Optional.of(NAME + " needs geometric levels (a constant ratio σ_{i+1}/σ_i = γ), but the ratio "
                        + "is " + gamma + " from level 0 to 1 and " + ratio + " from level " + i + " to " + (i + 1)
                        + "; use the geometric schedule");
            }
        }
        double last = levels.smallest();
        double eta = stepSize / (last * last);
        if ((1 - eta) * (1 - eta) > gamma * gamma) {
            double low = last * last * (1 - gamma);
            double high = last * last * (1 + gamma);
            return Optional.of(NAME + ": step-size " + stepSize + " makes β = √(1 − (1 − ε/σ_L²)²/γ²) the root of a "
                    + "negative number on this grid (σ_L = " + last + ", γ = " + gamma + "); it needs a step-size in ["
                    + low + ", " + high + "]");
        }
        return Optional.empty();
    }

    @Override
    public Start start() {
        return Start.PRIOR;
    }

    @Override
    public String toString() {
        return NAME + "(ε=" + stepSize + ")";
    }
}
