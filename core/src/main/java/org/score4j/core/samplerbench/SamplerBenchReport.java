package org.score4j.core.samplerbench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.score4j.core.plots.ErrorCurves;

/** The sampler benchmark's tables (Markdown and CSV) and its error-versus-evaluations figure. */
public final class SamplerBenchReport {
    private SamplerBenchReport() {
    }

    /** Every table, with what was measured and how, as Markdown. */
    public static String markdown(SamplerBenchResult r) {
        BenchOptions o = r.options();
        StringBuilder b = new StringBuilder();
        b.append("# Samplers with exact scores\n\n");
        b.append(String.format(Locale.ROOT, "score4j bench-samplers: each sampler follows the *exact* score of the "
                + "problem (no network), at budgets of B score evaluations (each of the whole batch of %d chains), "
                + "seed %d. Errors against %d fresh reference points: **mode-weight error** max_k |share of the "
                + "samples nearest mean k − w_k|; **sliced W2** over %d random directions; **MMD²** unbiased, RBF "
                + "kernel with the median distance between reference points as bandwidth (first 2000 points). "
                + "**Floor**: what %d fresh draws of the data score, mean ± sd over %d such sets: the sampling "
                + "noise under every figure, and how far one run's figure moves by chance; (×) is the ratio to the "
                + "mean (MMD²'s floor is about 0, the estimator being unbiased). Budgets map to settings as in the last table; a sampler never spends more "
                + "than B. Prior samplers start from N(0, %s²·I), annealed Langevin in the box at σ₁ = %s, plain "
                + "Langevin in the box at σ = %s; every grid's smallest positive level is %s, then 0.%n",
                o.chains(), o.seed(), o.referencePoints(), SamplerBench.PROJECTIONS, o.chains(), DataFloor.SETS,
                number(BudgetTable.SIGMA_PRIOR), number(BudgetTable.SIGMA_BOX), number(BudgetTable.LANGEVIN_SIGMA),
                number(BudgetTable.SIGMA_MIN)));
        for (BenchProblem p : r.problems()) {
            DataFloor f = r.floors().get(p.name());
            b.append("\n## ").append(p.title()).append("\n\n");
            b.append(String.format(Locale.ROOT, "Data floor (%d fresh draws, mean ± sd over %d sets): mode-weight "
                    + "error %s ± %s, sliced W2 %s ± %s, MMD² %s ± %s (bandwidth %s); the box is [%s, %s]^%d.%n%n",
                    o.chains(), DataFloor.SETS, fmt(f.modeWeightError()), fmt(f.modeWeightErrorSd()),
                    fmt(f.slicedW2()), fmt(f.slicedW2Sd()), fmt(f.mmd2()), fmt(f.mmd2Sd()), fmt(f.bandwidth()),
                    number(p.low()), number(p.high()), p.mixture().dimension()));
            b.append("| sampler | budget | evaluations | settings | mode-weight error (×) | sliced W2 (×) | MMD² "
                    + "| seconds |\n|---|---:|---:|---|---:|---:|---:|---:|\n");
            for (BenchCell c : r.cells()) {
                if (!c.problem().equals(p.name())) {
                    continue;
                }
                b.append("| ").append(c.sampler()).append(" | ").append(c.budget()).append(" | ")
                        .append(c.evaluations()).append(" | ").append(c.settings()).append(" | ");
                if (c.failed()) {
                    b.append("failed: ").append(shorten(c.failure())).append(" | — | — | ");
                } else {
                    b.append(ratio(c.modeWeightError(), f.modeWeightError())).append(" | ")
                            .append(ratio(c.slicedW2(), f.slicedW2())).append(" | ")
                            .append(fmt(c.mmd2())).append(" | ");
                }
                b.append(String.format(Locale.ROOT, "%.2f |%n", c.seconds()));
            }
        }
        if (!r.likelihood().isEmpty()) {
            b.append("\n## Likelihood error of the probability flow at the sampler's tolerances\n\n");
            b.append(String.format(Locale.ROOT, "A separate measurement: −NLL of %d held-out points per problem by "
                    + "the probability-flow ODE (score4j's likelihood engine: exact score, exact trace by central "
                    + "differences, and the exact q_σmax as prior, so that only the integration errs), σ from %s to "
                    + "%s integrated in ln σ by Dormand–Prince at rtol = atol of the `probability-flow` sampler at each "
                    + "budget, against the closed-form log q_σmin. Errors in nats per example; evaluations are the "
                    + "likelihood's own (each (2D + 1)·N score rows), not the sampler's.%n%n",
                    r.likelihood().get(0).points(), number(BudgetTable.SIGMA_MIN), number(BudgetTable.SIGMA_PRIOR)));
            b.append("| problem | budgets | rtol = atol | evaluations | mean error | mean abs error | largest abs "
                    + "error |\n|---|---:|---:|---:|---:|---:|---:|\n");
            for (LikelihoodError e : r.likelihood()) {
                b.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %s | %s |%n", e.problem(),
                        String.join(", ", e.budgets().stream().map(String::valueOf).toList()),
                        number(e.tolerance()), e.evaluations(), fmt(e.meanError()), fmt(e.meanAbsolute()),
                        fmt(e.largest())));
            }
            List<String> gaps = new ArrayList<>();
            r.priorGaps().forEach((name, g) -> gaps.add(String.format(Locale.ROOT, "%s %s nats on average (sd %s "
                    + "per point, at rtol %s)", name, fmt(g.meanError()), fmt(g.sd()), number(g.tolerance()))));
            if (!gaps.isEmpty()) {
                gaps.sort(null);
                b.append(String.format(Locale.ROOT, "%nWith the default prior N(0, %s²·I) instead of q_σmax (what a "
                        + "model's likelihood uses) the error of log p is: %s.%n", number(BudgetTable.SIGMA_PRIOR),
                        String.join("; ", gaps)));
            }
        }
        b.append("\n## Budgets\n\n| sampler | grid | evaluations |\n|---|---|---|\n");
        for (String s : o.samplers()) {
            List<String> at = new ArrayList<>();
            for (int budget : o.budgets()) {
                at.add(budget + ": " + BudgetTable.setup(s, budget).summary());
            }
            b.append("| ").append(s).append(" | ").append(grid(s)).append(" | ").append(String.join("; ", at))
                    .append(" |\n");
        }
        b.append(String.format(Locale.ROOT, "%nTotal time %.1f s.%n", r.seconds()));
        return b.toString();
    }

    /** One row per cell, with the floors beside each error. */
    public static String csv(SamplerBenchResult r) {
        StringBuilder b = new StringBuilder("problem,sampler,budget,evaluations,settings,mode_weight_error,"
                + "mode_weight_error_floor,sliced_w2,sliced_w2_floor,mmd2,mmd2_floor,seconds,failure\n");
        // The floors are the means over the fresh sets; their spreads are in the Markdown.
        for (BenchCell c : r.cells()) {
            DataFloor f = r.floors().get(c.problem());
            b.append(String.join(",", c.problem(), c.sampler(), Integer.toString(c.budget()),
                    Long.toString(c.evaluations()), quote(c.settings()), csvNumber(c.modeWeightError()),
                    csvNumber(f.modeWeightError()), csvNumber(c.slicedW2()), csvNumber(f.slicedW2()),
                    csvNumber(c.mmd2()), csvNumber(f.mmd2()), csvNumber(c.seconds()),
                    c.failure() == null ? "" : quote(c.failure()))).append('\n');
        }
        return b.toString();
    }

    /** The likelihood-error table as CSV. */
    public static String likelihoodCsv(SamplerBenchResult r) {
        StringBuilder b = new StringBuilder("problem,budgets,tolerance,evaluations,mean_error,mean_abs_error,"
                + "largest_abs_error,points\n");
        for (LikelihoodError e : r.likelihood()) {
            b.append(String.join(",", e.problem(), quote(String.join(" ", e.budgets().stream().map(String::valueOf)
                    .toList())), csvNumber(e.tolerance()),
                    Long.toString(e.evaluations()), csvNumber(e.meanError()), csvNumber(e.meanAbsolute()),
                    csvNumber(e.largest()), Integer.toString(e.points()))).append('\n');
        }
        return b.toString();
    }

    /** Sliced W2 and mode-weight error against evaluations: one row of two panels per problem. */
    public static void figure(SamplerBenchResult r, Path file) throws IOException {
        List<ErrorCurves.Panel> panels = new ArrayList<>();
        for (BenchProblem p : r.problems()) {
            DataFloor f = r.floors().get(p.name());
            List<ErrorCurves.Series> w2 = new ArrayList<>();
            List<ErrorCurves.Series> modes = new ArrayList<>();
            for (String s : r.options().samplers()) {
                List<BenchCell> cells = r.series(p.name(), s);
                double[] x = cells.stream().mapToDouble(c -> c.failed() ? Double.NaN : c.evaluations()).toArray();
                w2.add(new ErrorCurves.Series(s, x, cells.stream().mapToDouble(BenchCell::slicedW2).toArray()));
                modes.add(new ErrorCurves.Series(s, x, cells.stream().mapToDouble(BenchCell::modeWeightError)
                        .toArray()));
            }
            panels.add(new ErrorCurves.Panel(p.name() + ": sliced W2", "score evaluations", "sliced W2", w2,
                    f.slicedW2()));
            panels.add(new ErrorCurves.Panel(p.name() + ": mode-weight error", "score evaluations",
                    "max |share − weight|", modes, f.modeWeightError()));
        }
        ErrorCurves.draw(file, panels, 2);
    }

    private static String grid(String sampler) {
        return switch (sampler) {
            case "langevin" -> "box start; the single level " + number(BudgetTable.LANGEVIN_SIGMA) + ", then 0";
            case "annealed-langevin" -> "box start; geometric " + number(BudgetTable.SIGMA_BOX) + " → "
                    + number(BudgetTable.SIGMA_MIN) + ", then 0";
            case "edm", "dpm-solver-pp-2m" -> "prior start; Karras ρ = 7, " + number(BudgetTable.SIGMA_PRIOR) + " → "
                    + number(BudgetTable.SIGMA_MIN) + ", then 0";
            case "probability-flow" -> "prior start; rk45 from " + number(BudgetTable.SIGMA_PRIOR) + " to "
                    + number(BudgetTable.SIGMA_MIN) + ", Tweedie step to 0; max-evaluations = B";
            default -> "prior start; geometric " + number(BudgetTable.SIGMA_PRIOR) + " → "
                    + number(BudgetTable.SIGMA_MIN) + ", then 0";
        };
    }

    private static String ratio(double value, double floor) {
        return fmt(value) + (floor > 0 && Double.isFinite(value) ? String.format(Locale.ROOT, " (%.1f×)", value / floor)
                : "");
    }

    /** Four significant digits, as plain as the value allows. */
    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return "—";
        }
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v)
                : (Math.abs(v) < 1e-3 ? String.format(Locale.ROOT, "%.0e", v) : Double.toString(v));
    }

    private static String csvNumber(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"").replace('\n', ' ') + "\"";
    }

    private static String shorten(String s) {
        String one = s.replace('\n', ' ').replace("|", "/");
        return one.length() <= 90 ? one : one.substring(0, 87) + "…";
    }
}
