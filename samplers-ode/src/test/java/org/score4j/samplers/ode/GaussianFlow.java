package org.score4j.samplers.ode;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Sampler;
import org.score4j.api.SamplingGrid;
import org.score4j.api.StepListener;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.ChainRandom;
import org.score4j.api.tensors.Tensors;

/**
 * The closed-form oracle for deterministic samplers: for data N(m, v·I) the probability-flow ODE maps x at σ₀ to
 * m + (x − m)·√(v/(v + σ₀²)) at σ = 0.
 */
final class GaussianFlow {
    private static final double V = 0.25;
    private static final double[] MEAN = {3, -1};

    private GaussianFlow() {
    }

    /** The largest error at σ = 0 over 50 chains from N(0, σ₀²·I), σ₀ = grid.largest(); the grid must end at 0. */
    static double error(Sampler sampler, SamplingGrid grid) {
        GaussianMixture g = GaussianMixture.isotropic(new double[] {1}, new double[][] {MEAN}, new double[] {V});
        double sigma0 = grid.largest();
        ChainRandom rng = new ChainRandom(3, 0, 50);
        INDArray x0 = rng.normal(50, 2).muli(sigma0);
        INDArray end = sampler.sample(g.exactScore(), grid, x0, rng, StepListener.NONE);
        double shrink = Math.sqrt(V / (V + sigma0 * sigma0));
        double[] start = Tensors.doubles(x0);
        double[] got = Tensors.doubles(end);
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            double m = MEAN[i % 2];
            worst = Math.max(worst, Math.abs(got[i] - (m + (start[i] - m) * shrink)));
        }
        return worst;
    }
}
