package org.score4j.core.samplerbench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.NonFiniteException;
import org.score4j.api.Sampler;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.StepListener;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.random.Seeds;
import org.score4j.api.spi.SamplerFactory;
import org.score4j.api.spi.ScheduleFactory;
import org.score4j.api.spi.Settings;
import org.score4j.core.RunProgress;
import org.score4j.core.UserError;
import org.score4j.core.config.SampleSettings;
import org.score4j.core.evaluation.SampleMetrics;
import org.score4j.core.likelihood.ExactTrace;
import org.score4j.core.likelihood.LikelihoodResult;
import org.score4j.core.likelihood.LikelihoodSettings;
import org.score4j.core.likelihood.ProbabilityFlowLikelihood;
import org.score4j.core.plugins.Catalog;
import org.score4j.core.plugins.ComponentKind;
import org.score4j.core.sampling.ChainSampling;

/**
 * The oracle sampler benchmark: every sampler at every budget of score evaluations, run with the exact score of each
 * {@link BenchProblem}, its samples measured against the problem's own data with {@link SampleMetrics} (mode-weight
 * error, sliced W2, MMD²) beside the data floor: what fresh draws of the data score. No network is involved, so the
 * errors are the samplers' alone.
 *
 * <p>Budgets become each sampler's settings through {@link BudgetTable}. Chains start where the runner would start them
 * ({@link ChainSampling} with {@code sample.start = auto}: each sampler's default, the box or the prior) from the same
 * per-chain streams in every cell, so that differences between cells are the samplers', not the draws'. A run that
 * fails (it diverges, or rk45 reaches its cap) is a cell with its reason and no errors.
 *
 * <p>It also measures the likelihood's error at the tolerances the {@code probability-flow} sampler uses
 * ({@link LikelihoodError}), and what the default Gaussian prior adds ({@link SamplerBenchResult.PriorGap}).
 */
public final class SamplerBench {
    static final int PROJECTIONS = 128;
    private static final String TASK = "bench-samplers";

    private final Map<String, SamplerFactory> samplers;
    private final Map<String, ScheduleFactory> schedules;
    private final List<BenchProblem> problems;
    private final BenchOptions options;

    /**
     * @param catalog  where the samplers and the {@code geometric} and {@code karras} schedules come from
     * @param problems the problems
     * @throws UserError if a sampler or schedule the options need is not in the catalog
     */
    public SamplerBench(Catalog catalog, List<BenchProblem> problems, BenchOptions options) {
        this.samplers = catalog.factories(ComponentKind.SAMPLER, SamplerFactory.class);
        this.schedules = catalog.factories(ComponentKind.SCHEDULE, ScheduleFactory.class);
        this.problems = List.copyOf(problems);
        this.options = Objects.requireNonNull(options, "options");
        for (String s : options.samplers()) {
            if (!samplers.containsKey(s)) {
                throw new UserError("sampler '" + s + "' is not installed; installed: "
                        + String.join(", ", samplers.keySet()));
            }
        }
        for (String s : List.of("geometric", "karras")) {
            if (!schedules.containsKey(s)) {
                throw new UserError("the benchmark needs the '" + s + "' schedule, which is not installed");
            }
        }
    }

    /** Runs every cell, then the likelihood table. */
    public SamplerBenchResult run(RunProgress progress) {
        long started = System.nanoTime();
        int total = problems.size() * options.samplers().size() * options.budgets().size();
        int done = 0;
        Map<String, DataFloor> floors = new LinkedHashMap<>();
        List<BenchCell> cells = new ArrayList<>();
        List<LikelihoodError> likelihood = new ArrayList<>();
        Map<String, SamplerBenchResult.PriorGap> gaps = new LinkedHashMap<>();
        for (BenchProblem p : problems) {
            double[][] reference = SampleMetrics.points(p.mixture().sample(options.referencePoints(),
                    new SeededRandom(seed(p, "reference"))));
            double bandwidth = SampleMetrics.medianDistance(reference);
            floors.put(p.name(), floor(p, reference, bandwidth));
            for (String sampler : options.samplers()) {
                for (int budget : options.budgets()) {
                    progress.progress(TASK, done, total, p.name() + " " + sampler + " " + budget);
                    cells.add(cell(p, sampler, budget, reference, bandwidth));
                    done++;
                }
            }
        }
        progress.progress(TASK, total, total, null);
        if (options.likelihoodPoints() > 0 && options.samplers().contains("probability-flow")) {
            for (BenchProblem p : problems) {
                likelihoodErrors(p, progress, likelihood, gaps);
            }
        }
        return new SamplerBenchResult(options, problems, floors, cells, likelihood, gaps,
                (System.nanoTime() - started) / 1e9);
    }

    /** The errors of {@link DataFloor#SETS} sets of fresh draws, as many as the chains: mean and spread. */
    private DataFloor floor(BenchProblem p, double[][] reference, double bandwidth) {
        int sets = DataFloor.SETS;
        double[][] v = new double[3][sets];
        SeededRandom rng = new SeededRandom(seed(p, "floor"));
        for (int k = 0; k < sets; k++) {
            INDArray fresh = p.mixture().sample(options.chains(), rng);
            double[][] points = SampleMetrics.points(fresh);
            v[0][k] = modeWeightError(p.mixture(), fresh);
            v[1][k] = SampleMetrics.slicedWasserstein(points, reference, PROJECTIONS, seed(p, "projections"));
            v[2][k] = SampleMetrics.mmd(points, reference, bandwidth);
        }
        return new DataFloor(mean(v[0]), mean(v[1]), mean(v[2]), sd(v[0]), sd(v[1]), sd(v[2]), bandwidth);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double sd(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    private BenchCell cell(BenchProblem p, String name, int budget, double[][] reference, double bandwidth) {
        BudgetTable.Setup setup = BudgetTable.setup(name, budget);
        SamplerFactory factory = samplers.get(setup.sampler());
        Sampler sampler = factory.create(Settings.of(factory, setup.samplerSettings()));
        ScheduleFactory scheduleFactory = schedules.get(setup.schedule());
        NoiseSchedule schedule = scheduleFactory.create(Settings.of(scheduleFactory, setup.scheduleSettings()));
        SamplingGrid grid = SamplingGrid.of(schedule, true);
        GaussianMixture g = p.mixture();
        long[] calls = {0};
        ScoreFunction exact = g.exactScore();
        ScoreFunction counted = (x, sigma) -> {
            calls[0]++;
            return exact.score(x, sigma);
        };
        String refused = sampler.incompatibility(grid).orElse(null);
        if (refused != null) {
            return failed(p, name, budget, setup, 0, 0, "refused: " + refused);
        }
        SampleSettings settings = new SampleSettings(options.chains(), options.chains(), SampleSettings.Start.AUTO,
                p.low(), p.high(), true, -1, 0);
        long t0 = System.nanoTime();
        INDArray samples;
        try {
            samples = new ChainSampling(counted, sampler, grid, settings, options.seed(),
                    new long[] {g.dimension()}).run(b -> StepListener.NONE);
        } catch (NonFiniteException | IllegalStateException e) {
            return failed(p, name, budget, setup, calls[0], (System.nanoTime() - t0) / 1e9, e.getMessage());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[][] s = SampleMetrics.points(samples);
        return new BenchCell(p.name(), name, budget, setup.summary(), calls[0], modeWeightError(g, samples),
                SampleMetrics.slicedWasserstein(s, reference, PROJECTIONS, seed(p, "projections")),
                SampleMetrics.mmd(s, reference, bandwidth), seconds, null);
    }

    private static BenchCell failed(BenchProblem p, String name, int budget, BudgetTable.Setup setup, long calls,
                                    double seconds, String why) {
        return new BenchCell(p.name(), name, budget, setup.summary(), calls, Double.NaN, Double.NaN, Double.NaN,
                seconds, why == null ? "failed" : why);
    }

    /**
     * The likelihood's error at each distinct rk45 tolerance of the budgets, with the exact prior; then, at the
     * tightest, what the default Gaussian prior adds.
     */
    private void likelihoodErrors(BenchProblem p, RunProgress progress, List<LikelihoodError> out,
                                  Map<String, SamplerBenchResult.PriorGap> gaps) {
        GaussianMixture g = p.mixture();
        INDArray x = g.sample(options.likelihoodPoints(), new SeededRandom(seed(p, "held-out")));
        double[] truth = g.logDensity(x, BudgetTable.SIGMA_MIN);
        Map<Double, List<Integer>> byTolerance = new LinkedHashMap<>();
        for (int budget : new TreeSet<>(options.budgets())) {
            byTolerance.computeIfAbsent(BudgetTable.rk45Tolerance(budget), t -> new ArrayList<>()).add(budget);
        }
        double tightest = Double.POSITIVE_INFINITY;
        for (Map.Entry<Double, List<Integer>> e : byTolerance.entrySet()) {
            double tol = e.getKey();
            tightest = Math.min(tightest, tol);
            PointErrors err = PointErrors.of(likelihood(g, tol, true).evaluate(g.exactScore(), x,
                    progress.listener("likelihood " + p.name() + " rtol " + tol)), truth);
            out.add(new LikelihoodError(p.name(), e.getValue(), tol, err.evaluations(), err.mean(), err.meanAbsolute(),
                    err.largest(), truth.length));
        }
        PointErrors prior = PointErrors.of(likelihood(g, tightest, false).evaluate(g.exactScore(), x,
                progress.listener("likelihood " + p.name() + " prior")), truth);
        gaps.put(p.name(), new SamplerBenchResult.PriorGap(prior.mean(), prior.sd(), tightest));
    }

    /** log p̂ − log q_σmin over the points, summarised. */
    private record PointErrors(double mean, double meanAbsolute, double largest, double sd, long evaluations) {
        static PointErrors of(LikelihoodResult r, double[] truth) {
            int n = truth.length;
            double[] e = new double[n];
            for (int i = 0; i < n; i++) {
                e[i] = -r.nats()[i] - truth[i];
            }
            double m = SamplerBench.mean(e);
            double abs = 0;
            double largest = 0;
            for (double v : e) {
                abs += Math.abs(v);
                largest = Math.max(largest, Math.abs(v));
            }
            return new PointErrors(m, abs / n, largest, n > 1 ? SamplerBench.sd(e) : 0, r.evaluations());
        }
    }

    private static ProbabilityFlowLikelihood likelihood(GaussianMixture g, double tolerance, boolean exactPrior) {
        LikelihoodSettings s = LikelihoodSettings.of(BudgetTable.SIGMA_MIN, BudgetTable.SIGMA_PRIOR)
                .withDivergence(new ExactTrace()).withTolerances(tolerance, tolerance).withMaxEvaluations(100_000);
        return new ProbabilityFlowLikelihood(exactPrior ? s.withPrior(y -> g.logDensity(y, BudgetTable.SIGMA_PRIOR))
                : s);
    }

    /** max_k |share of the points nearest mean k − w_k|; shares summed in floating point, so below 1e-12 is 0. */
    static double modeWeightError(GaussianMixture g, INDArray points) {
        double[] shares = SampleMetrics.modeWeights(g, points);
        double[] w = g.weights();
        double worst = 0;
        for (int k = 0; k < w.length; k++) {
            worst = Math.max(worst, Math.abs(shares[k] - w[k]));
        }
        return worst < 1e-12 ? 0 : worst;
    }

    private long seed(BenchProblem p, String purpose) {
        return Seeds.derive(options.seed(), purpose + "/" + p.name());
    }
}
