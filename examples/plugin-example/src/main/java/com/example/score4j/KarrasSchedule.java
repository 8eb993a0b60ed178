package com.example.score4j;

import org.score4j.api.NoiseSchedule;

/**
 * The noise levels of Karras et al. (2022): σ_i = (σ_max^(1/ρ) + i/(L−1)·(σ_min^(1/ρ) − σ_max^(1/ρ)))^ρ for
 * i = 0 … L−1, which puts more levels near σ_min as ρ grows (ρ = 1 is linear; ρ → ∞ approaches geometric).
 * One level is σ_min alone.
 */
public final class KarrasSchedule implements NoiseSchedule {
    private final double[] sigmas;

    public KarrasSchedule(double sigmaMax, double sigmaMin, int levels, double rho) {
        if (!(sigmaMin > 0) || !(sigmaMax >= sigmaMin) || levels < 1 || (levels > 1 && !(sigmaMax > sigmaMin))
                || !(rho > 0) || !Double.isFinite(sigmaMax) || !Double.isFinite(rho)) {
            throw new IllegalArgumentException("need sigma-max > sigma-min > 0, levels >= 1 and rho > 0, got "
                    + sigmaMax + ", " + sigmaMin + ", " + levels + ", " + rho);
        }
        sigmas = new double[levels];
        if (levels == 1) {
            sigmas[0] = sigmaMin;
            return;
        }
        double hi = Math.pow(sigmaMax, 1 / rho);
        double lo = Math.pow(sigmaMin, 1 / rho);
        for (int i = 0; i < levels; i++) {
            sigmas[i] = Math.pow(hi + (double) i / (levels - 1) * (lo - hi), rho);
        }
        sigmas[0] = sigmaMax;
        sigmas[levels - 1] = sigmaMin;
    }

    @Override
    public int size() {
        return sigmas.length;
    }

    @Override
    public double sigma(int level) {
        return sigmas[level];
    }

    @Override
    public String toString() {
        return "karras" + java.util.Arrays.toString(sigmas);
    }
}
