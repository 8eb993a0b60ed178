package org.score4j.samplers.ode;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.score4j.api.spi.SamplerFactory;
import org.score4j.api.spi.Score4jPlugin;

/**
 * Contributes the deterministic samplers of the probability-flow ODE: {@code probability-flow} and
 * {@code dpm-solver-pp-2m}.
 */
public final class OdePlugin implements Score4jPlugin {

    @Override
    public String apiVersion() {
        return API_VERSION;
    }

    @Override
    public List<SamplerFactory> samplers() {
        return List.of(
                SamplerFactory.of(ProbabilityFlowSampler.NAME,
                        "the probability-flow ODE dx/dσ = −σ·s(x, σ) by Euler, Heun or adaptive RK45 (Dormand-Prince)",
                        """
                        # euler or heun step between consecutive grid values; rk45 (adaptive Dormand-Prince) uses only
                        # the grid's ends, then a Tweedie step if it ends at 0.
                        solver = heun
                        # rk45 only: relative tolerance (score SDE's ODE sampler uses 1e-5).
                        rtol = 1e-5
                        # rk45 only: absolute tolerance, in data units.
                        atol = 1e-5
                        # rk45 only: the most score evaluations of one run; reaching it stops the run with an error.
                        max-evaluations = 2000
                        """, s -> {
                            String solver = s.choice("solver", Arrays.stream(ProbabilityFlowSampler.Solver.values())
                                    .map(ProbabilityFlowSampler.Solver::key).toList());
                            double rtol = s.between("rtol", 1e-13, 0.5);
                            double atol = s.atLeast("atol", 0);
                            int max = s.integer("max-evaluations", 9);
                            ProbabilityFlowSampler.Solver chosen =
                                    ProbabilityFlowSampler.Solver.valueOf(solver.toUpperCase(Locale.ROOT));
                            return s.build(() -> new ProbabilityFlowSampler(chosen, rtol, atol, max));
                        }),
                SamplerFactory.of(DpmSolverPlusPlus2MSampler.NAME,
                        "DPM-Solver++(2M): second-order multistep probability-flow solver on the denoiser (Lu et al. 2022)",
                        "", s -> s.build(DpmSolverPlusPlus2MSampler::new)));
    }
}
