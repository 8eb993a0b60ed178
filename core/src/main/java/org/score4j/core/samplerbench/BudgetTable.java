package org.score4j.core.samplerbench;

import java.util.List;
import java.util.Locale;

/**
 * How a budget of B score evaluations (each of the whole batch of chains) becomes each sampler's own settings: the one
 * place where the benchmark chooses grids and step sizes. Every sampler spends at most B evaluations.
 *
 * <p><b>Grids.</b> All of them end at σ = 0 (the Tweedie step, or the ODE's last step) and their smallest positive level
 * is σ_min = {@value #SIGMA_MIN}. Samplers that start from the prior (reverse diffusion, predictor-corrector,
 * consistent annealed, EDM, probability flow, DPM-Solver++) start from N(0, σ₀²·I) with σ₀ = {@value #SIGMA_PRIOR}:
 * the NCSN mixture's perturbed density at 20 is too far from N(0, 20²·I) for the prior start (its mean is (3, 3)),
 * while at 100 the exact flow puts 0.212 of the chains in the 0.2 mode. Annealed Langevin starts in the problem's box
 * at σ₁ = {@value #SIGMA_BOX} (NCSN's σ₁), plain Langevin in the box at its one level. The ODE samplers use Karras et
 * al.'s ρ = 7 grid (denser near σ_min, what they were designed with); the SDE and Langevin samplers the geometric grid
 * (the VE SDE's own discretisation; consistent annealed sampling requires it).
 *
 * <table>
 *   <caption>Settings for a budget of B evaluations; the last column for B = 10, 20, 50, 100, 300, 1000</caption>
 *   <tr><th>sampler</th><th>grid (then 0)</th><th>settings</th><th>evaluations</th><th>at the default budgets</th></tr>
 *   <tr><td>langevin</td><td>the single level 0.1</td><td>T = B − 1 steps, ε = 0.02 (2σ², half the refusal limit 4σ²)
 *       </td><td>B</td><td>T = 9, 19, 49, 99, 299, 999</td></tr>
 *   <tr><td>annealed-langevin</td><td>L geometric levels 20 → 0.01</td><td>T = max(1, round(√(B − 1)/3)) steps per
 *       level, L = max(2, ⌊(B − 1)/T⌋); ε = 0.1·σ_L² so that α_i = 0.1·σ_i² (NCSN's setting)</td><td>L·T + 1</td>
 *       <td>(L, T) = (9, 1), (19, 1), (24, 2), (33, 3), (49, 6), (90, 11): 10, 20, 49, 100, 295, 991</td></tr>
 *   <tr><td>reverse-diffusion</td><td>B geometric levels 100 → 0.01</td><td>—</td><td>B</td><td>L = B</td></tr>
 *   <tr><td>predictor-corrector</td><td>L = ⌊B/2⌋ geometric levels 100 → 0.01</td><td>snr 0.16, one corrector step
 *       (score SDE's VE setting)</td><td>2L</td><td>L = 5, 10, 25, 50, 150, 500</td></tr>
 *   <tr><td>consistent-annealed</td><td>B geometric levels 100 → 0.01, ratio γ</td><td>ε = σ_L²·(1 − γ²), the
 *       ancestral-sampling step (the default 0.5 is this for its default grid)</td><td>B</td><td>L = B</td></tr>
 *   <tr><td>edm</td><td>N = ⌊(B + 1)/2⌋ Karras levels 100 → 0.01</td><td>s-churn 0: deterministic Heun on the
 *       probability flow (Karras et al. Algorithm 1)</td><td>2N − 1</td><td>N = 5, 10, 25, 50, 150, 500: 9, 19, 49,
 *       99, 299, 999</td></tr>
 *   <tr><td>probability-flow</td><td>100, 0.01</td><td>rk45 with rtol = atol from {@link #rk45Tolerance} and
 *       max-evaluations = B: a run that needs more stops and is reported so</td><td>adaptive, ≤ B</td><td>rtol = 0.5,
 *       0.5, 5·10⁻², 10⁻³, 10⁻⁶, 10⁻⁸ (it needs at least 27 evaluations)</td></tr>
 *   <tr><td>dpm-solver-pp-2m</td><td>B Karras levels 100 → 0.01</td><td>—</td><td>B</td><td>L = B</td></tr>
 * </table>
 */
public final class BudgetTable {
    /** The smallest positive level of every grid. */
    public static final double SIGMA_MIN = 0.01;
    /** σ₀ of the samplers that start from the prior N(0, σ₀²·I). */
    public static final double SIGMA_PRIOR = 100;
    /** σ₁ of annealed Langevin, which starts in the box. */
    public static final double SIGMA_BOX = 20;
    /** Plain Langevin's one level and its step. */
    static final double LANGEVIN_SIGMA = 0.1;
    static final double LANGEVIN_STEP = 0.02;
    /** α_i / σ_i² of annealed Langevin. */
    static final double ANNEALED_RELATIVE_STEP = 0.1;
    /** The smallest budget every row of the table can honour. */
    public static final int MIN_BUDGET = 10;

    /** The samplers the benchmark knows, in table order. */
    public static final List<String> SAMPLERS = List.of("langevin", "annealed-langevin", "reverse-diffusion",
            "predictor-corrector", "consistent-annealed", "edm", "probability-flow", "dpm-solver-pp-2m");

    /** Those that follow the probability-flow ODE deterministically. */
    public static final List<String> ODE_SAMPLERS = List.of("edm", "probability-flow", "dpm-solver-pp-2m");

    /**
     * rk45's rtol (= atol) for a budget: the loosest of the measured thresholds below the budget, from how many
     * evaluations rk45 took on both benchmark problems (1280 chains, σ 100 → 0.01): 5·10⁻² took 39, 10⁻² 75,
     * 10⁻³ 99, 10⁻⁴ 129, 10⁻⁵ 177, 10⁻⁶ 261, 10⁻⁷ 393, 10⁻⁸ 543; 0.5 still takes 27.
     */
    private static final double[][] RK45 = {{600, 1e-8}, {450, 1e-7}, {300, 1e-6}, {200, 1e-5}, {150, 1e-4},
            {100, 1e-3}, {80, 1e-2}, {40, 5e-2}, {0, 0.5}};

    private BudgetTable() {
    }

    /**
     * What one sampler runs with at one budget.
     *
     * @param sampler          the sampler's registered name
     * @param samplerSettings  its configuration section, HOCON
     * @param schedule         the schedule whose levels (then 0) are the grid: {@code geometric} or {@code karras}
     * @param scheduleSettings its configuration section, HOCON
     * @param summary          the settings in a few words, for the table
     */
    public record Setup(String sampler, String samplerSettings, String schedule, String scheduleSettings,
                        String summary) {
    }

    /** rk45's tolerance at a budget (see {@link #RK45}). */
    public static double rk45Tolerance(int budget) {
        for (double[] row : RK45) {
            if (budget >= row[0]) {
                return row[1];
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /**
     * @throws IllegalArgumentException for a sampler not in {@link #SAMPLERS} or a budget below {@link #MIN_BUDGET}
     */
    public static Setup setup(String sampler, int budget) {
        if (budget < MIN_BUDGET) {
            throw new IllegalArgumentException("budgets must be at least " + MIN_BUDGET + ", got " + budget);
        }
        return switch (sampler) {
            case "langevin" -> new Setup(sampler, "step-size = " + LANGEVIN_STEP + ", steps = " + (budget - 1),
                    "geometric", levels(LANGEVIN_SIGMA, LANGEVIN_SIGMA, 1), "T = " + (budget - 1) + " at σ = "
                    + LANGEVIN_SIGMA);
            case "annealed-langevin" -> {
                int steps = (int) Math.max(1, Math.round(Math.sqrt(budget - 1) / 3));
                int levels = Math.max(2, (budget - 1) / steps);
                double eps = ANNEALED_RELATIVE_STEP * SIGMA_MIN * SIGMA_MIN;
                yield new Setup(sampler, "step-size = " + eps + ", steps-per-level = " + steps, "geometric",
                        levels(SIGMA_BOX, SIGMA_MIN, levels), "L = " + levels + ", T = " + steps);
            }
            case "reverse-diffusion" -> new Setup(sampler, "", "geometric", levels(SIGMA_PRIOR, SIGMA_MIN, budget),
                    "L = " + budget);
            case "predictor-corrector" -> new Setup(sampler, "snr = 0.16, corrector-steps = 1", "geometric",
                    levels(SIGMA_PRIOR, SIGMA_MIN, budget / 2), "L = " + budget / 2 + ", M = 1");
            case "consistent-annealed" -> {
                double gamma = Math.pow(SIGMA_MIN / SIGMA_PRIOR, 1.0 / (budget - 1));
                double eps = SIGMA_MIN * SIGMA_MIN * (1 - gamma * gamma);
                yield new Setup(sampler, String.format(Locale.ROOT, "step-size = %.17g", eps), "geometric",
                        levels(SIGMA_PRIOR, SIGMA_MIN, budget), String.format(Locale.ROOT, "L = %d, γ = %.3f", budget,
                        gamma));
            }
            case "edm" -> {
                int steps = (budget + 1) / 2;
                yield new Setup(sampler, "s-churn = 0", "karras", levels(SIGMA_PRIOR, SIGMA_MIN, steps),
                        "N = " + steps + ", Heun");
            }
            case "probability-flow" -> {
                double tol = rk45Tolerance(budget);
                yield new Setup(sampler, "solver = rk45, rtol = " + tol + ", atol = " + tol + ", max-evaluations = "
                        + budget, "geometric", levels(SIGMA_PRIOR, SIGMA_MIN, 2), "rk45, tol " + tol);
            }
            case "dpm-solver-pp-2m" -> new Setup(sampler, "", "karras", levels(SIGMA_PRIOR, SIGMA_MIN, budget),
                    "L = " + budget);
            default -> throw new IllegalArgumentException("no budget mapping for sampler '" + sampler + "'; known: "
                    + String.join(", ", SAMPLERS));
        };
    }

    private static String levels(double max, double min, int levels) {
        return "sigma-max = " + max + ", sigma-min = " + min + ", levels = " + levels;
    }
}
