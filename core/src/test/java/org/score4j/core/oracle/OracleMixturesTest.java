package org.score4j.core.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.SeededRandom;

class OracleMixturesTest {

    @Test
    void theSixteenDimensionalMixtureIsWhatItsDocumentationSays() {
        GaussianMixture g = OracleMixtures.anisotropic16();
        assertThat(g.dimension()).isEqualTo(16);
        assertThat(g.weights()).containsExactly(0.1, 0.2, 0.3, 0.4);
        assertThat(g.toString()).isEqualTo(OracleMixtures.anisotropic16().toString());
        double eigenSum = 0;
        for (int j = 0; j < 16; j++) {
            eigenSum += 0.25 * Math.pow(8, j / 15.0);
        }
        for (int c = 0; c < 4; c++) {
            double[] mu = g.mean(c);
            assertThat(Math.sqrt(dot(mu, mu))).isCloseTo(6, within(1e-9));
            double[][] cov = g.covariance(c);
            double trace = 0;
            for (int a = 0; a < 16; a++) {
                trace += cov[a][a];
            }
            assertThat(trace).isCloseTo(eigenSum, within(1e-9));
            // Correlated, not diagonal.
            assertThat(Math.abs(cov[0][1]) + Math.abs(cov[2][5])).isGreaterThan(0.01);
            for (int d = c + 1; d < 4; d++) {
                double[] nu = g.mean(d);
                assertThat(dot(mu, nu)).as("means %d and %d orthogonal", c, d).isCloseTo(0, within(1e-9));
                double[] u = new double[16];
                for (int a = 0; a < 16; a++) {
                    u[a] = (nu[a] - mu[a]) / (6 * Math.sqrt(2));
                }
                double spread = Math.sqrt(Math.max(quadratic(cov, u), quadratic(g.covariance(d), u)));
                assertThat(3 * Math.sqrt(2) / spread).as("separation of %d and %d in standard deviations", c, d)
                        .isGreaterThanOrEqualTo(3);
            }
        }
    }

    @Test
    void theNearestMeanNamesTheComponentOfNearlyEveryPoint() {
        GaussianMixture g = OracleMixtures.anisotropic16();
        for (int component = 0; component < 4; component++) {
            int c = component;
            GaussianMixture one = new GaussianMixture(new double[] {1}, new double[][] {g.mean(c)},
                    new double[][][] {g.covariance(c)});
            INDArray x = one.sample(5000, new SeededRandom(c));
            long right = java.util.Arrays.stream(g.nearestComponents(x)).filter(k -> k == c).count();
            assertThat(right / 5000.0).as("component %d", c).isGreaterThan(0.995);
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double quadratic(double[][] m, double[] u) {
        double s = 0;
        for (int a = 0; a < u.length; a++) {
            for (int b = 0; b < u.length; b++) {
                s += u[a] * m[a][b] * u[b];
            }
        }
        return s;
    }
}
