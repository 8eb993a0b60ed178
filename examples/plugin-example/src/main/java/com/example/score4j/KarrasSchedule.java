package com.example.score4j;

import org.score4j.api.NoiseSchedule;

/**
 * The noise levels of Karras et al. (2022): σ_i = (σ_max^(1/ρ) + i/(L−1)·(σ_min^(1/ρ) − σ_max^(1/ρ)))^ρ for
 * i = 0 … L−1, which puts more levels near σ_min as ρ grows (ρ = 1 is linear; ρ → ∞ approaches geometric).
 * One level is σ_min alone. The levels go to {@link NoiseSchedule#of}, which checks them.
 */
public final class KarrasSchedule {
    private KarrasSchedule() {
    }

    public static NoiseSchedule of(double sigmaMax, double sigmaMin, int levels, double rho) {
        if (levels < 1 || !(rho > 0) || !Double.isFinite(rho)) {
            throw new IllegalArgumentException("need levels >= 1 and rho > 0, got " + levels + ", " + rho);
        }
        double[] sigmas = new double[levels];
        if (levels == 1) {
            sigmas[0] = sigmaMin;
            return NoiseSchedule.of(sigmas);
        }
        double hi = Math.pow(sigmaMax, 1 / rho);
        double lo = Math.pow(sigmaMin, 1 / rho);
        for (int i = 0; i < levels; i++) {
            sigmas[i] = Math.pow(hi + (double) i / (levels - 1) * (lo - hi), rho);
        }
        // Exact ends, whatever the rounding of the powers.
        sigmas[0] = sigmaMax;
        sigmas[levels - 1] = sigmaMin;
        return NoiseSchedule.of(sigmas);
    }
}
