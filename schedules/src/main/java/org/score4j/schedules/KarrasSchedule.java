package org.score4j.schedules;

/**
 * The ρ-schedule of Karras et al. 2022 ("Elucidating the design space of diffusion-based generative models", eq. 5):
 * σ_i = (σ_max^(1/ρ) + i/(L−1)·(σ_min^(1/ρ) − σ_max^(1/ρ)))^ρ for i = 0 … L−1, evenly spaced in σ^(1/ρ). Larger ρ
 * puts more levels near σ_min: ρ = 1 is linear, ρ → ∞ geometric; the paper finds ρ = 7 best for sampling. The ends
 * are exactly σ_max and σ_min; one level is σ_min alone.
 */
public final class KarrasSchedule extends TabulatedSchedule {

    /**
     * @param rho ρ &gt; 0, finite
     * @throws IllegalArgumentException unless 1 ≤ levels ≤ 100 000, 0 &lt; sigma-min &lt; sigma-max (≤ for one level)
     *                                  and the levels come out strictly decreasing
     */
    public KarrasSchedule(double sigmaMax, double sigmaMin, int levels, double rho) {
        super("karras(ρ=" + rho + ")", levels(sigmaMax, sigmaMin, levels, rho));
    }

    private static double[] levels(double sigmaMax, double sigmaMin, int levels, double rho) {
        Bounds.check(sigmaMax, sigmaMin, levels);
        if (!(rho > 0) || !Double.isFinite(rho)) {
            throw new IllegalArgumentException("rho must be finite and > 0, got " + rho);
        }
        double[] s = new double[levels];
        double hi = Math.pow(sigmaMax, 1 / rho);
        double lo = Math.pow(sigmaMin, 1 / rho);
        for (int i = 0; i < levels; i++) {
            s[i] = levels == 1 ? sigmaMin : Math.pow(hi + (double) i / (levels - 1) * (lo - hi), rho);
        }
        // Exact ends, whatever the rounding of the powers.
        s[0] = levels == 1 ? sigmaMin : sigmaMax;
        s[levels - 1] = sigmaMin;
        return s;
    }
}
