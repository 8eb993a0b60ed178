package org.score4j.samplers.ode;

import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.NonFiniteException;
import org.score4j.api.Sampler;
import org.score4j.api.SamplerStep;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.StepListener;
import org.score4j.api.ode.Derivative;
import org.score4j.api.ode.DormandPrince;
import org.score4j.api.ode.OdeResult;
import org.score4j.api.random.RandomSource;

/**
 * The probability-flow ODE of the variance-exploding SDE (Song et al. 2021, "Score-based generative modeling through
 * stochastic differential equations", eq. 13; Karras et al. 2022, eq. 1 with σ(t) = t):
 * <pre>dx/dσ = −σ·s(x, σ)</pre>
 * integrated from σ₀ down the grid. Deterministic given the start, with the marginals of the SDE: started from
 * q_σ₀ it ends at the data distribution. Chains start from the prior N(0, σ₀²·I) ({@link Sampler.Start#PRIOR}).
 * Three solvers:
 * <ul>
 *   <li>{@link Solver#EULER}: x ← x + (σ_i − σ_{i+1})·σ_i·s(x, σ_i) between consecutive grid values; the step to 0 is
 *       then the Tweedie step D(x, σ_i). n − 1 evaluations on n values.</li>
 *   <li>{@link Solver#HEUN}: Euler's step, then the trapezoidal correction with the slope at the Euler point, skipped on
 *       a step to σ = 0 (Karras et al., Algorithm 1). 2(n − 1) evaluations, one fewer when the grid ends at 0.</li>
 *   <li>{@link Solver#RK45}: the adaptive Dormand–Prince integrator ({@link DormandPrince}, whole-batch RMS error
 *       norm) from σ₀ to the grid's last positive value, with its own steps: the grid is used only for its ends. When
 *       the grid ends at 0 a Tweedie step D(x, σ_last) follows (the Euler step to 0), so that no score is ever asked
 *       for at σ = 0, where a network has none. At most {@code max-evaluations} evaluations in all; when they run out
 *       the sampler stops with an {@link IllegalStateException} saying so. Score SDE's ODE sampler uses RK45 with
 *       rtol = atol = 10⁻⁵, the defaults here.</li>
 * </ul>
 * The listener hears every step (for RK45, every accepted step) with σ the level reached; a denoised estimate only on
 * the Tweedie step to 0. A listener's change to the state is integrated from, for RK45 too (one evaluation more).
 */
public final class ProbabilityFlowSampler implements Sampler {
    static final String NAME = "probability-flow";

    /** How the ODE is integrated. */
    public enum Solver {
        EULER, HEUN, RK45;

        /** The configuration name: euler, heun or rk45. */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Solver solver;
    private final double rtol;
    private final double atol;
    private final long maxEvaluations;

    /**
     * @param solver         the integrator
     * @param rtol           RK45's relative tolerance, in [1e-13, 1) (read only by RK45)
     * @param atol           RK45's absolute tolerance ≥ 0, in data units (read only by RK45)
     * @param maxEvaluations RK45's cap on score evaluations, ≥ 9 (read only by RK45)
     */
    public ProbabilityFlowSampler(Solver solver, double rtol, double atol, long maxEvaluations) {
        this.solver = Objects.requireNonNull(solver, "solver");
        if (!(rtol >= 1e-13 && rtol < 1) || !(atol >= 0) || !Double.isFinite(atol) || maxEvaluations < 9) {
            throw new IllegalArgumentException("need rtol in [1e-13, 1), finite atol >= 0 and max-evaluations >= 9, got "
                    + rtol + ", " + atol + ", " + maxEvaluations);
        }
        this.rtol = rtol;
        this.atol = atol;
        this.maxEvaluations = maxEvaluations;
    }

    @Override
    public INDArray sample(ScoreFunction score, SamplingGrid grid, INDArray start, RandomSource noise,
                           StepListener listener) {
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(listener, "listener");
        return solver == Solver.RK45 ? adaptive(score, grid, start, listener) : fixed(score, grid, start, listener);
    }

    private INDArray fixed(ScoreFunction score, SamplingGrid grid, INDArray start, StepListener listener) {
        INDArray x = start.dup();
        long evaluations = 0;
        for (int i = 0; i + 1 < grid.size(); i++) {
            double sigma = grid.sigma(i);
            double next = grid.sigma(i + 1);
            // Slopes as −dx/dσ = σ·s, so that a step is x + (σ − next)·slope.
            INDArray slope = score.score(x, sigma).muli(sigma);
            evaluations++;
            INDArray euler = x.add(slope.mul(sigma - next));
            INDArray denoised = null;
            if (solver == Solver.HEUN && next > 0) {
                INDArray nextSlope = score.score(euler, next).muli(next);
                evaluations++;
                x = x.add(slope.addi(nextSlope).muli((sigma - next) / 2));
            } else {
                x = euler;
                denoised = next == 0 ? x.dup() : null;
            }
            NonFiniteException.requireFiniteChains(x, NAME, i + 1, next, NonFiniteException.COARSE_GRID);
            listener.afterStep(new SamplerStep(i + 1, evaluations, next, x, denoised));
        }
        return x;
    }

    private INDArray adaptive(ScoreFunction score, SamplingGrid grid, INDArray start, StepListener listener) {
        double from = grid.largest();
        double to = grid.smallestPositive();
        long[] step = {0};
        Derivative<INDArray> flow = (sigma, x) -> score.score(x, sigma).muli(-sigma);
        DormandPrince integrator = new DormandPrince(rtol, atol, maxEvaluations - (grid.endsAtZero() ? 1 : 0));
        OdeResult<INDArray> r = integrator.integrate(flow, from, to, start, (sigma, x, evaluations) ->
                listener.afterStep(new SamplerStep(++step[0], evaluations, sigma, x, null)));
        switch (r.outcome()) {
            case FINISHED -> { }
            case EVALUATION_CAP -> throw new IllegalStateException(NAME + " (rk45) hit its cap of max-evaluations = "
                    + maxEvaluations + " score evaluations at σ = " + r.t() + ", before reaching σ = " + to + " ("
                    + r.accepted() + " steps accepted, " + r.rejected() + " rejected); raise max-evaluations or loosen "
                    + "rtol (" + rtol + ") and atol (" + atol + ")");
            case STEP_TOO_SMALL -> throw new NonFiniteException(NAME + " (rk45) could not take a step at σ = " + r.t()
                    + ": the step it needed fell below the spacing of doubles; the score is NaN or infinite there, or "
                    + "changes too fast for rtol = " + rtol + " and atol = " + atol);
        }
        INDArray x = r.state();
        NonFiniteException.requireFiniteChains(x, NAME + " (rk45)", step[0], to, NonFiniteException.COARSE_GRID);
        if (grid.endsAtZero()) {
            x = score.denoise(x, to);
            NonFiniteException.requireFiniteChains(x, NAME + " (rk45, denoising step)", step[0] + 1, 0, NonFiniteException.COARSE_GRID);
            listener.afterStep(new SamplerStep(step[0] + 1, r.evaluations() + 1, 0, x, x.dup()));
        }
        return x;
    }

    @Override
    public long evaluations(SamplingGrid grid) {
        int steps = grid.size() - 1;
        return switch (solver) {
            case EULER -> steps;
            case HEUN -> 2L * steps - (grid.endsAtZero() ? 1 : 0);
            case RK45 -> maxEvaluations;
        };
    }

    @Override
    public Optional<String> incompatibility(SamplingGrid grid) {
        Optional<String> two = grid.needsTwoValues(NAME);
        if (two.isPresent() || solver != Solver.RK45 || grid.smallestPositive() < grid.largest()) {
            return two;
        }
        return Optional.of(NAME + " with rk45 integrates from σ₀ to the grid's smallest positive level and needs two "
                + "positive levels, got " + grid);
    }

    @Override
    public Start start() {
        return Start.PRIOR;
    }

    @Override
    public String toString() {
        return NAME + "(" + solver.key() + (solver == Solver.RK45 ? ", rtol=" + rtol + ", atol=" + atol
                + ", max-evaluations=" + maxEvaluations : "") + ")";
    }
}
