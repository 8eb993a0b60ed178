package org.score4j.samplers.ode;

import org.score4j.testkit.SamplingGrids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.NonFiniteException;
import org.score4j.api.Sampler;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.ChainRandom;
import org.score4j.api.spi.SamplerFactory;
import org.score4j.api.spi.Settings;
import org.score4j.api.tensors.Tensors;
import org.score4j.samplers.ode.ProbabilityFlowSampler.Solver;
import org.score4j.testkit.SamplerContract;

class ProbabilityFlowSamplerTest {
    private static final GaussianMixture MIXTURE = GaussianMixture.ncsnReference();

    static ProbabilityFlowSampler sampler(Solver solver) {
        return new ProbabilityFlowSampler(solver, 1e-5, 1e-5, 2000);
    }

    @Test
    void everySolverRecoversTheMixture() {
        // From N(0, 100²I); Euler on 30 Karras levels 100 → 0.01 (30 evaluations), Heun on 10 (19), RK45 at
        // rtol = atol = 1e-5 between 100 and 0.01; each then 0.
        record Case(Solver solver, SamplingGrid grid) {
        }
        for (Case c : List.of(new Case(Solver.EULER, SamplingGrids.karras(100, 0.01, 30)),
                new Case(Solver.HEUN, SamplingGrids.karras(100, 0.01, 10)), new Case(Solver.RK45, SamplingGrids.karras(100, 0.01, 10)))) {
            Sampler s = sampler(c.solver());
            double[] shares = SamplerContract.assertRecoversWeights(s, MIXTURE, c.grid(), 1280, -8, 8, 7, 0.03);
            ChainRandom rng = new ChainRandom(7, 0, 1280);
            long[] evaluations = {0};
            INDArray end = s.sample(MIXTURE.exactScore(), c.grid(), SamplerContract.start(s.start(), c.grid(), rng, 1280,
                    2, -8, 8), rng, step -> evaluations[0] = step.evaluations());
            var sw2 = SamplerContract.assertNearMixture(end, MIXTURE, 2, 11);
            System.out.printf("probability-flow (%s), 1280 chains from N(0, 100²I), %d Karras levels 100 → 0.01 then 0, "
                    + "%d evaluations: shares %.4f / %.4f, sliced W2 %.3f (floor %.3f, ratio %.2f)%n", c.solver().key(),
                    c.grid().size() - 1, evaluations[0], shares[0], shares[1], sw2.distance(), sw2.floor(), sw2.ratio());
        }
    }

    @Test
    void solversConvergeAtTheirOrderOnAGaussian() {
        double euler40 = GaussianFlow.error(sampler(Solver.EULER), SamplingGrids.karras(10, 0.01, 40));
        double euler80 = GaussianFlow.error(sampler(Solver.EULER), SamplingGrids.karras(10, 0.01, 80));
        double heun40 = GaussianFlow.error(sampler(Solver.HEUN), SamplingGrids.karras(10, 0.01, 40));
        double heun80 = GaussianFlow.error(sampler(Solver.HEUN), SamplingGrids.karras(10, 0.01, 80));
        assertThat(euler40 / euler80).as("Euler: first order").isBetween(1.7, 2.3);
        assertThat(heun40 / heun80).as("Heun: second order").isGreaterThan(3.5);
        assertThat(heun80).isLessThan(2e-3);
        // RK45 to its tolerance; its last stretch from 0.01 to 0 is the Tweedie step, whose error here is 2e-4 relative.
        double tight = GaussianFlow.error(new ProbabilityFlowSampler(Solver.RK45, 1e-7, 1e-7, 5000),
                SamplingGrids.karras(10, 0.01, 2));
        double loose = GaussianFlow.error(new ProbabilityFlowSampler(Solver.RK45, 1e-2, 1e-2, 5000),
                SamplingGrids.karras(10, 0.01, 2));
        assertThat(tight).isLessThan(1e-3).isLessThan(loose);
    }

    @Test
    void followsTheSamplerContract() {
        SamplingGrid grid = SamplingGrids.karras(100, 0.01, 10);
        SamplerContract.assertWellBehaved(sampler(Solver.EULER), grid);
        SamplerContract.assertWellBehaved(sampler(Solver.HEUN), grid);
        SamplerContract.assertWellBehaved(sampler(Solver.HEUN), SamplingGrids.withoutZero(grid));
        // One step size serves the whole batch, so a chain alone ends within the tolerances of where it ends in a batch.
        SamplerContract.assertWellBehaved(sampler(Solver.RK45), grid, SamplerContract.Steps.ADAPTIVE, 1e-3);
        SamplerContract.assertWellBehaved(sampler(Solver.RK45), SamplingGrids.withoutZero(grid), SamplerContract.Steps.ADAPTIVE,
                1e-3);
        assertThat(sampler(Solver.EULER).evaluations(grid)).isEqualTo(10);
        assertThat(sampler(Solver.HEUN).evaluations(grid)).isEqualTo(19);
        assertThat(sampler(Solver.RK45).evaluations(grid)).isEqualTo(2000);
    }

    @Test
    void refusesGridsItCannotIntegrate() {
        SamplerContract.assertRefuses(sampler(Solver.HEUN), SamplingGrid.of(3.0), "needs at least two values");
        SamplerContract.assertRefuses(sampler(Solver.RK45), SamplingGrid.of(3.0, 0), "needs two positive levels");
        assertThat(sampler(Solver.EULER).incompatibility(SamplingGrid.of(3.0, 0))).isEmpty();
    }

    @Test
    void rk45StopsAtItsCapWithAClearMessage() {
        ChainRandom rng = new ChainRandom(1, 0, 4);
        INDArray start = rng.normal(4, 2).muli(100);
        Sampler capped = new ProbabilityFlowSampler(Solver.RK45, 1e-10, 1e-10, 30);
        List<Long> evaluations = new ArrayList<>();
        assertThatThrownBy(() -> capped.sample(MIXTURE.exactScore(), SamplingGrids.karras(100, 0.01, 10), start, rng,
                step -> evaluations.add(step.evaluations())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("probability-flow (rk45) hit its cap of max-evaluations = 30 score evaluations")
                .hasMessageContaining("raise max-evaluations or loosen rtol");
        assertThat(evaluations).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(30));
        // (ND4J's x.mul(NaN) is not NaN: it scales by 1e-5.)
        ScoreFunction broken = (x, sigma) -> {
            double[] nan = new double[(int) x.length()];
            java.util.Arrays.fill(nan, Double.NaN);
            return Tensors.array(nan, x.dataType(), x.shape());
        };
        assertThatThrownBy(() -> sampler(Solver.RK45).sample(broken, SamplingGrids.karras(100, 0.01, 10), start, rng,
                step -> { }))
                .isInstanceOf(NonFiniteException.class).hasMessageContaining("could not take a step at σ = 100.0")
                .hasMessageContaining("NaN or infinite");
    }

    @Test
    void factoryReadsTheSolverAndItsTolerances() {
        SamplerFactory factory = new OdePlugin().samplers().get(0);
        assertThat(factory.name()).isEqualTo("probability-flow");
        assertThat(factory.create(Settings.of(factory, "solver = rk45, rtol = 1e-3")).toString())
                .isEqualTo("probability-flow(rk45, rtol=0.001, atol=1.0E-5, max-evaluations=2000)");
        assertThatThrownBy(() -> factory.create(Settings.of(factory, "solver = rk4, max-evaluations = 3")))
                .hasMessageContaining(
                        "probability-flow.solver: expected one of euler, heun, rk45, got \"rk4\" (did you mean 'rk45'?)")
                .hasMessageContaining("probability-flow.max-evaluations: expected a whole number of at least 9, got 3");
    }
}
