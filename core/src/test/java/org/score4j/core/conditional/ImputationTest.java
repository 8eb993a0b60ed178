package org.score4j.core.conditional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.ConditionalScore;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.mixture.MixtureConditional;
import org.score4j.api.mixture.MixtureDataset;
import org.score4j.api.random.SeededRandom;
import org.score4j.core.RunProgress;
import org.score4j.core.app.Application;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.plugins.Catalog;

/** Imputation with exact scores against the closed-form conditionals of Gaussians and Gaussian mixtures. */
class ImputationTest {
    private static final Application APP = new Application(Catalog.discover(null));

    /** A run on a mixture, annealed Langevin on 20 geometric levels from 10 to 0.05, stable steps (ε = σ_L²/2). */
    private static ResolvedRun run(String data) {
        return APP.resolve(ConfigFactory.parseString("""
                data { name = mixture, %s }
                schedule { name = geometric, sigma-max = 10, sigma-min = 0.05, levels = 20 }
                sampler { name = annealed-langevin, step-size = 0.00125, steps-per-level = 100 }
                sample { count = 1, batch-size = 4000 }
                """.formatted(data)));
    }

    @Test
    void aGaussiansMissingCoordinateIsDrawnFromItsClosedFormConditional() {
        ResolvedRun run = run("""
                weights = [1], means = [[1, -2, 0.5]],
                covariances = [[[2, 0.8, 0.3], [0.8, 1, -0.2], [0.3, -0.2, 0.5]]]""");
        GaussianMixture g = ((MixtureDataset) run.data()).mixture();
        GaussianMixture truth = MixtureConditional.given(g, new int[] {0, 2}, new double[] {2, 0});
        double mean = truth.mean(0)[0];
        double variance = truth.covariance(0)[0][0];
        INDArray row = Nd4j.createFromArray(new float[][] {{2f, Float.NaN, 0f}});
        int draws = 3000;
        Imputation.Result r = Imputation.fill(run, g.exactScore(), row, Masks.given(row), draws, RunProgress.NONE);
        double[] x1 = r.draws().getColumn(1).toDoubleVector();
        double m = java.util.Arrays.stream(x1).average().orElseThrow();
        double v = java.util.Arrays.stream(x1).map(a -> (a - m) * (a - m)).sum() / (draws - 1);
        assertThat(m).as("conditional mean (closed form %s)", mean).isCloseTo(mean, offset(4 * Math.sqrt(variance / draws)));
        assertThat(v).as("conditional variance (closed form %s)", variance).isCloseTo(variance, offset(0.1 * variance));
        assertThat(r.filled().getDouble(0, 1)).isCloseTo(mean, offset(4 * Math.sqrt(variance / draws)));
        assertThat(r.filled().getDouble(0, 0)).as("observed values are kept").isEqualTo(2.0);
        // The observed coordinates of every draw are the given values exactly (the grid ends at 0).
        assertThat(r.draws().getColumn(0).toDoubleVector()).containsOnly(2.0);
    }

    @Test
    void aMixturesPosteriorComponentWeightsAreRecovered() {
        ResolvedRun run = run("""
                weights = [0.3, 0.7], means = [[-3, -3], [3, 3]],
                covariances = [[[4, 3], [3, 4]], [[4, -1], [-1, 1]]]""");
        GaussianMixture g = ((MixtureDataset) run.data()).mixture();
        GaussianMixture truth = MixtureConditional.given(g, new int[] {0}, new double[] {0.5});
        INDArray row = Nd4j.createFromArray(new float[][] {{0.5f, Float.NaN}});
        int draws = 3000;
        Imputation.Result r = Imputation.fill(run, g.exactScore(), row, Masks.given(row), draws, RunProgress.NONE);
        INDArray x1 = r.draws().getColumn(1).reshape(draws, 1);
        int[] nearest = truth.nearestComponents(x1);
        double first = java.util.Arrays.stream(nearest).filter(c -> c == 0).count() / (double) draws;
        // Nearest-mean assignment misclassifies where the two conditionals overlap: compare with the same assignment
        // of exact draws from the true conditional.
        int[] exact = truth.nearestComponents(truth.sample(20000, new SeededRandom(3)));
        double expected = java.util.Arrays.stream(exact).filter(c -> c == 0).count() / 20000.0;
        assertThat(truth.weights()[0]).as("the posterior moved away from the prior weight").isNotCloseTo(0.3, offset(0.05));
        assertThat(first).as("share of draws nearest the first component (exact draws: %s)", expected)
                .isCloseTo(expected, offset(0.03));
    }

    @Test
    void guidanceOfWeightZeroIsTheConditionalScoreExactly() {
        ConditionalScore score = new ConditionalScore() {
            @Override
            public int classes() {
                return 3;
            }

            @Override
            public INDArray score(INDArray x, INDArray sigma, int[] labels) {
                INDArray out = x.neg();
                for (int i = 0; i < labels.length; i++) {
                    out.getRow(i).addi(labels[i] < 0 ? 0 : labels[i] + 1);
                }
                return out;
            }
        };
        INDArray x = new SeededRandom(1).normal(4, 2);
        INDArray sigma = Nd4j.ones(DataType.FLOAT, 4);
        int[] labels = {0, 2, 1, -1};
        assertThat(ConditionalScore.guided(score, labels, 0).score(x, sigma).data().asFloat())
                .containsExactly(score.score(x, sigma, labels).data().asFloat());
        // With w = 2, (1 + w)·s(y) − w·s(∅) = s(∅) + (1 + w)·(label + 1) here.
        INDArray guided = ConditionalScore.guided(score, labels, 2).score(x, sigma);
        assertThat(guided.getDouble(1, 0)).isCloseTo(-x.getDouble(1, 0) + 3 * 3, offset(1e-5));
        assertThat(guided.getDouble(3, 0)).as("an unconditional row stays unconditional").isCloseTo(-x.getDouble(3, 0),
                offset(1e-5));
    }
}
