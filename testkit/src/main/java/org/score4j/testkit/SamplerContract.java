package org.score4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.assertj.core.data.Offset;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Sampler;
import org.score4j.api.SamplerStep;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.StepListener;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.ChainRandom;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.tensors.Tensors;

/**
 * Checks every sampler must pass, run with the exact score of a Gaussian mixture (an oracle: no network).
 *
 * <p>The one call for a sampler's test is {@link #assertWellBehaved(Sampler, SamplingGrid)} (or its
 * {@linkplain #assertWellBehaved(Sampler, SamplingGrid, Steps, double) adaptive form}); then
 * {@link #assertRecoversWeights} for what it reaches, {@link #assertRefuses} for a grid it must refuse, and, for
 * deterministic samplers, {@link #assertNearMixture}.
 *
 * <p>Chains start as the runner starts them ({@link #start}): {@link Sampler.Start#BOX} uniform on [low, high] in
 * every coordinate, {@link Sampler.Start#PRIOR} N(0, σ₀²·I) with σ₀ the grid's largest level; the start is each
 * chain's first draw from its {@link ChainRandom} stream.
 */
public final class SamplerContract {
    /** The box BOX samplers start in for the checks of {@link #assertWellBehaved}: the NCSN experiment's. */
    private static final double LOW = -8;
    private static final double HIGH = 8;
    private static final int CHAINS = 5;
    private static final long SEED = 20_19;

    private SamplerContract() {
    }

    /** How a sampler chooses its steps, which decides what its evaluation count must be. */
    public enum Steps {
        /** A fixed number of score evaluations per grid: exactly {@link Sampler#evaluations}. */
        FIXED,
        /** Step sizes chosen as it goes: at most {@link Sampler#evaluations}. */
        ADAPTIVE
    }

    /**
     * {@link #assertWellBehaved(Sampler, SamplingGrid, Steps, double)} for a fixed-step sampler, with chains compared
     * to float tolerance (1e-5 relative).
     */
    public static void assertWellBehaved(Sampler sampler, SamplingGrid grid) {
        assertWellBehaved(sampler, grid, Steps.FIXED, 1e-5);
    }

    /**
     * Runs a few chains with the exact score of the NCSN mixture ({@link GaussianMixture#ncsnReference()}) on
     * {@code grid} and checks that:
     * <ul>
     *   <li>the sampler accepts the grid ({@link Sampler#incompatibility} is empty);</li>
     *   <li>the result is finite, has the start's shape and type, and the start is left as it was;</li>
     *   <li>every score evaluation is of the whole batch at levels σ &gt; 0, and there are exactly
     *       {@link Sampler#evaluations} of them ({@link Steps#FIXED}) or at most that many ({@link Steps#ADAPTIVE});</li>
     *   <li>the listener hears steps numbered 1, 2, …, n, each reporting the evaluations made so far, σ never
     *       increasing and the last σ the grid's last value, the live state, and a denoised estimate that is null or
     *       shaped as the state; the result is the state the listener last saw;</li>
     *   <li>a chain does not depend on its batch: the first and the last of the batch, each run alone with its own
     *       {@link ChainRandom} stream, end where they ended in the batch (within {@code tolerance}, relative);</li>
     *   <li>the state is live: a change a listener makes after the first step carries into that chain's result, and
     *       into no other chain's.</li>
     * </ul>
     *
     * @param tolerance relative tolerance between a chain run alone and in the batch: float round-off (1e-5) for
     *                  samplers whose steps do not depend on the batch; an adaptive integrator whose step size
     *                  serves the whole batch needs about its own tolerance
     */
    public static void assertWellBehaved(Sampler sampler, SamplingGrid grid, Steps steps, double tolerance) {
        assertThat(sampler.incompatibility(grid)).as("%s refuses the grid %s", sampler, grid).isEmpty();
        GaussianMixture mixture = GaussianMixture.ncsnReference();
        int d = mixture.dimension();

        ChainRandom rng = new ChainRandom(SEED, 0, CHAINS);
        INDArray start = start(sampler.start(), grid, rng, CHAINS, d, LOW, HIGH);
        INDArray startCopy = start.dup();
        Counting score = new Counting(mixture.exactScore(), CHAINS);
        Recording listener = new Recording(score);
        INDArray together = sampler.sample(score, grid, start, rng, listener);

        assertThat(together.shape()).as("shape of the result").containsExactly(start.shape());
        assertThat(together.dataType()).as("type of the result").isEqualTo(start.dataType());
        assertThat(Tensors.allFinite(together)).as("the result of %s is finite", sampler).isTrue();
        assertThat(Tensors.doubles(start)).as("the start is not modified").containsExactly(Tensors.doubles(startCopy));
        long expected = sampler.evaluations(grid);
        if (steps == Steps.FIXED) {
            assertThat(score.calls).as("score evaluations of %s on %s", sampler, grid).isEqualTo(expected);
        } else {
            assertThat(score.calls).as("score evaluations of %s on %s", sampler, grid).isPositive()
                    .isLessThanOrEqualTo(expected);
        }
        listener.assertConsistent(grid, start, together);

        for (int k : new int[] {0, CHAINS - 1}) {
            ChainRandom own = new ChainRandom(SEED, k, 1);
            INDArray alone = sampler.sample(mixture.exactScore(), grid, start(sampler.start(), grid, own, 1, d, LOW, HIGH),
                    own, StepListener.NONE);
            assertRowsClose(alone.getRow(0), together.getRow(k), tolerance,
                    "chain " + k + " of " + CHAINS + " run alone and in its batch");
        }

        ChainRandom again = new ChainRandom(SEED, 0, CHAINS);
        long[] seen = {0};
        INDArray nudged = sampler.sample(mixture.exactScore(), grid, start(sampler.start(), grid, again, CHAINS, d, LOW,
                HIGH), again, step -> {
                    if (seen[0]++ == 0) {
                        step.x().getRow(0).addi(1);
                    }
                });
        assertThat(Arrays.equals(Tensors.doubles(nudged.getRow(0)), Tensors.doubles(together.getRow(0))))
                .as("a listener's change to chain 0 after the first step shows in its result").isFalse();
        for (int k = 1; k < CHAINS; k++) {
            assertRowsClose(nudged.getRow(k), together.getRow(k), tolerance,
                    "chain " + k + " when the listener changed chain 0");
        }
    }

    /** The sampler refuses {@code grid}, with a reason that contains {@code reason}. */
    public static void assertRefuses(Sampler sampler, SamplingGrid grid, String reason) {
        Optional<String> why = sampler.incompatibility(grid);
        assertThat(why).as("%s refuses %s", sampler, grid).isPresent();
        assertThat(why.get()).as("the reason %s gives for refusing %s", sampler, grid).contains(reason);
    }

    /**
     * Runs {@code chains} chains from the sampler's default start with the exact score of {@code mixture} and returns
     * the fraction of final states nearest to each component.
     *
     * @param low  BOX samplers start uniform on [low, high]^d; PRIOR samplers ignore low and high
     */
    public static double[] modeFractions(Sampler sampler, GaussianMixture mixture, SamplingGrid grid,
                                         int chains, double low, double high, long seed) {
        return fractions(mixture, run(sampler, mixture.exactScore(), grid, chains, mixture.dimension(), low, high, seed));
    }

    /** The fraction of {@code points} nearest to each component of {@code mixture}. */
    public static double[] fractions(GaussianMixture mixture, INDArray points) {
        int[] assigned = mixture.nearestComponents(points);
        double[] fractions = new double[mixture.size()];
        for (int a : assigned) {
            fractions[a] += 1.0 / assigned.length;
        }
        return fractions;
    }

    /**
     * The sampler, given the exact score of {@code mixture}, puts each component's share of the chains within
     * {@code tolerance} of its weight: what a sampler that targets the data distribution must do.
     *
     * @return the shares, for the test's report
     */
    public static double[] assertRecoversWeights(Sampler sampler, GaussianMixture mixture, SamplingGrid grid, int chains,
                                                 double low, double high, long seed, double tolerance) {
        double[] fractions = modeFractions(sampler, mixture, grid, chains, low, high, seed);
        double[] weights = mixture.weights();
        for (int k = 0; k < weights.length; k++) {
            assertThat(fractions[k])
                    .as("share of the chains of %s in component %d (weight %s), all shares %s", sampler, k, weights[k],
                            Arrays.toString(fractions))
                    .isCloseTo(weights[k], Offset.offset(tolerance));
        }
        return fractions;
    }

    /**
     * Runs the chains with per-chain random streams from the sampler's default start ({@link #start}).
     *
     * @param low BOX samplers start uniform on [low, high]^d; PRIOR samplers ignore low and high
     */
    public static INDArray run(Sampler sampler, ScoreFunction score, SamplingGrid grid, int chains, int dimension,
                               double low, double high, long seed) {
        ChainRandom rng = new ChainRandom(seed, 0, chains);
        return sampler.sample(score, grid, start(sampler.start(), grid, rng, chains, dimension, low, high), rng,
                StepListener.NONE);
    }

    /**
     * Starting states as the runner draws them, the first draw of each chain's stream: uniform on [low, high]^d
     * for {@link Sampler.Start#BOX}, N(0, σ₀²·I) with σ₀ = {@code grid.largest()} for {@link Sampler.Start#PRIOR}.
     *
     * @return FLOAT {@code [chains, dimension]}
     */
    public static INDArray start(Sampler.Start start, SamplingGrid grid, ChainRandom rng, int chains, int dimension,
                                 double low, double high) {
        return switch (start) {
            case BOX -> rng.uniform(low, high, chains, dimension);
            case PRIOR -> rng.normal(chains, dimension).muli(grid.largest());
        };
    }

    /**
     * The sliced 2-Wasserstein distance between two equally large point sets {@code [n, d]}: the root mean, over
     * {@code projections} random directions, of the squared 1-D Wasserstein-2 distance between their projections
     * (sorted values matched in order).
     */
    public static double slicedWasserstein2(INDArray a, INDArray b, int projections, long seed) {
        if (a.rank() != 2 || !Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("need two point sets of the same shape [n, d], got "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        int n = (int) a.size(0);
        int d = (int) a.size(1);
        double[] xa = Tensors.doubles(a);
        double[] xb = Tensors.doubles(b);
        double[] directions = Tensors.doubles(new SeededRandom(seed).normal(projections, d));
        double sum = 0;
        double[] pa = new double[n];
        double[] pb = new double[n];
        for (int p = 0; p < projections; p++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += directions[p * d + j] * directions[p * d + j];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                double u = 0;
                double v = 0;
                for (int j = 0; j < d; j++) {
                    u += xa[i * d + j] * directions[p * d + j];
                    v += xb[i * d + j] * directions[p * d + j];
                }
                pa[i] = u / norm;
                pb[i] = v / norm;
            }
            Arrays.sort(pa);
            Arrays.sort(pb);
            for (int i = 0; i < n; i++) {
                sum += (pa[i] - pb[i]) * (pa[i] - pb[i]) / n;
            }
        }
        return Math.sqrt(sum / projections);
    }

    /**
     * A sliced-W2 measurement: {@code distance} of the samples to fresh draws of the mixture, and the {@code floor},
     * the same distance between two independent sets of fresh draws (sampling noise alone); both averaged over the
     * same sixteen reference sets.
     */
    public record SlicedW2(double distance, double floor) {
        /** distance / floor. */
        public double ratio() {
            return distance / floor;
        }
    }

    /**
     * The samples are within {@code factor} times the data floor of {@code mixture} in sliced W2 ({@link SlicedW2}),
     * with 64 projections. With well-separated modes both numbers are dominated by the binomial noise of the mode
     * shares: on the NCSN mixture with 1280 points, fresh draws measure about 0.9–1.0 times the floor and draws whose
     * small mode has weight 0.17 instead of 0.2 about 1.7–2.1 times, while a within-mode variance of 1.5 instead of 1
     * hardly shows. It is a coarse check beside {@link #assertRecoversWeights}.
     *
     * @return the measurement, for the test's report
     */
    public static SlicedW2 assertNearMixture(INDArray samples, GaussianMixture mixture, double factor, long seed) {
        int n = (int) samples.size(0);
        SeededRandom rng = new SeededRandom(seed);
        double distance = 0;
        double floor = 0;
        int references = 16;
        for (int r = 0; r < references; r++) {
            INDArray reference = mixture.sample(n, rng);
            INDArray other = mixture.sample(n, rng);
            distance += slicedWasserstein2(samples, reference, 64, seed + r) / references;
            floor += slicedWasserstein2(other, reference, 64, seed + r) / references;
        }
        SlicedW2 measured = new SlicedW2(distance, floor);
        assertThat(distance).as("sliced W2 of the samples to the mixture (%s), against %s times the data floor",
                measured, factor).isLessThanOrEqualTo(factor * floor);
        return measured;
    }

    private static void assertRowsClose(INDArray actual, INDArray expected, double tolerance, String what) {
        double[] a = Tensors.doubles(actual);
        double[] e = Tensors.doubles(expected);
        assertThat(a).as(what).hasSameSizeAs(e);
        for (int i = 0; i < e.length; i++) {
            assertThat(a[i]).as("%s, value %d (%s against %s)", what, i, Arrays.toString(a), Arrays.toString(e))
                    .isCloseTo(e[i], Offset.offset(tolerance * (1 + Math.abs(e[i]))));
        }
    }

    /** Counts batched score calls, checking each is of the whole batch at finite levels σ &gt; 0. */
    private static final class Counting implements ScoreFunction {
        private final ScoreFunction inner;
        private final int rows;
        long calls;

        Counting(ScoreFunction inner, int rows) {
            this.inner = inner;
            this.rows = rows;
        }

        @Override
        public INDArray score(INDArray x, INDArray sigma) {
            calls++;
            assertThat(x.size(0)).as("rows of score evaluation %d", calls).isEqualTo(rows);
            for (double s : Tensors.doubles(sigma)) {
                assertThat(s).as("σ of score evaluation %d (a network has no score at σ = 0)", calls)
                        .isPositive().isFinite();
            }
            return inner.score(x, sigma);
        }
    }

    /** Keeps what the listener heard. */
    private static final class Recording implements StepListener {
        private final Counting score;
        private final List<SamplerStep> steps = new ArrayList<>();
        private final List<Long> callsAtStep = new ArrayList<>();
        private INDArray lastX;

        Recording(Counting score) {
            this.score = score;
        }

        @Override
        public void afterStep(SamplerStep step) {
            steps.add(step);
            callsAtStep.add(score.calls);
            lastX = step.x().dup();
            if (step.denoised() != null) {
                assertThat(step.denoised().shape()).as("shape of the denoised estimate at step %d", step.step())
                        .containsExactly(step.x().shape());
            }
        }

        void assertConsistent(SamplingGrid grid, INDArray start, INDArray result) {
            assertThat(steps).as("steps the listener heard").isNotEmpty();
            double previousSigma = Double.POSITIVE_INFINITY;
            long previousEvaluations = 0;
            for (int i = 0; i < steps.size(); i++) {
                SamplerStep s = steps.get(i);
                assertThat(s.step()).as("number of the %d-th step", i + 1).isEqualTo(i + 1);
                assertThat(s.evaluations()).as("evaluations reported at step %d", i + 1)
                        .isGreaterThanOrEqualTo(previousEvaluations).isEqualTo(callsAtStep.get(i));
                assertThat(s.sigma()).as("σ after step %d", i + 1).isLessThanOrEqualTo(previousSigma)
                        .isGreaterThanOrEqualTo(0);
                assertThat(s.x().shape()).as("shape of the state at step %d", i + 1).containsExactly(start.shape());
                previousSigma = s.sigma();
                previousEvaluations = s.evaluations();
            }
            assertThat(previousSigma).as("σ after the last step").isEqualTo(grid.sigma(grid.size() - 1));
            assertThat(previousEvaluations).as("evaluations reported at the last step").isEqualTo(score.calls);
            assertThat(Tensors.doubles(result)).as("the result is the state the listener last saw")
                    .containsExactly(Tensors.doubles(lastX));
        }
    }
}
