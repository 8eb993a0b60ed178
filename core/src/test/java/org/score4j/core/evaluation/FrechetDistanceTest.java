package org.score4j.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {
    @Test
    void eigenvaluesOfASymmetricMatrix() {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3.
        double[] v = FrechetDistance.eigenvalues(new double[][] {{2, 1}, {1, 2}});
        java.util.Arrays.sort(v);
        assertThat(v[0]).isCloseTo(1, offset(1e-12));
        assertThat(v[1]).isCloseTo(3, offset(1e-12));
    }

    @Test
    void matchesTheClosedFormForGaussians() {
        // Diagonal covariances commute, so the distance is ‖Δμ‖² + Σ(√aᵢ − √bᵢ)²: a vs b gives 2 + 1 + 1 = 4,
        // a vs c (same covariance) gives 2.
        Random r = new Random(1);
        int n = 200_000;
        double[][] a = new double[n][];
        double[][] b = new double[n][];
        double[][] c = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = new double[] {r.nextGaussian(), 2 * r.nextGaussian()};
            b[i] = new double[] {1 + 2 * r.nextGaussian(), 1 + r.nextGaussian()};
            c[i] = new double[] {1 + r.nextGaussian(), 1 + 2 * r.nextGaussian()};
        }
        assertThat(FrechetDistance.between(a, b)).isCloseTo(4, offset(0.05));
        assertThat(FrechetDistance.between(a, c)).isCloseTo(2, offset(0.05));
        assertThat(FrechetDistance.between(a, a)).isCloseTo(0, offset(1e-6));
    }

    @Test
    void nearestNeighbourDistances() {
        var a = org.nd4j.linalg.factory.Nd4j.createFromArray(new float[][] {{0, 0}, {3, 4}});
        var b = org.nd4j.linalg.factory.Nd4j.createFromArray(new float[][] {{1, 0}, {3, 5}, {10, 10}});
        assertThat(ImageMetrics.nearest(a, b)).containsExactly(new double[] {1, 1}, offset(1e-5));
        assertThat(ImageMetrics.spread(64, 8)).containsExactly(0, 9, 18, 27, 36, 45, 54, 63);
        assertThat(ImageMetrics.spread(3, 8)).containsExactly(0, 1, 2);
    }
}
