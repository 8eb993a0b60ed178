package org.score4j.core.scratch;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Sampler;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.ChainRandom;
import org.score4j.api.spi.SamplerFactory;
import org.score4j.api.spi.Settings;
import org.score4j.core.evaluation.SampleMetrics;
import org.score4j.core.oracle.OracleMixtures;
import org.score4j.core.plugins.Catalog;
import org.score4j.core.plugins.ComponentKind;
import org.score4j.api.random.SeededRandom;

class ScratchTest {
    @Test
    void rk45() {
        SamplerFactory f = Catalog.discover(null).factories(ComponentKind.SAMPLER, SamplerFactory.class).get("probability-flow");
        for (GaussianMixture g : new GaussianMixture[] {OracleMixtures.ncsn2d(), OracleMixtures.anisotropic16()}) {
            double[][] ref = SampleMetrics.points(g.sample(10000, new SeededRandom(1)));
            for (double tol : new double[] {1e-6, 1e-7, 1e-8}) {
                Sampler s = f.create(Settings.of(f, "solver = rk45, rtol = " + tol + ", atol = " + tol + ", max-evaluations = 100000"));
                SamplingGrid grid = SamplingGrid.of(100, 0.01, 0);
                int n = 1280;
                ChainRandom rng = new ChainRandom(3, 0, n);
                INDArray start = rng.normal(n, g.dimension()).muli(100);
                long[] calls = {0};
                ScoreFunction counted = (x, sig) -> { calls[0]++; return g.exactScore().score(x, sig); };
                INDArray out = s.sample(counted, grid, start, rng, step -> { });
                double sw = SampleMetrics.slicedWasserstein(SampleMetrics.points(out), ref, 64, 5);
                double[] w = SampleMetrics.modeWeights(g, out);
                System.out.printf(Locale.ROOT, "d=%d tol %.0e: evals %d sw2 %.4f w0 %.4f%n", g.dimension(), tol, calls[0], sw, w[0]);
            }
        }
    }
}
