package org.score4j.api.mixture;

/** Cholesky factor of a small symmetric positive-definite matrix, with its inverse and log-determinant. */
final class Cholesky {
    final double[][] lower;

    Cholesky(double[][] a) {
        int d = a.length;
        lower = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= lower[i][k] * lower[j][k];
                }
                if (i == j) {
                    if (!(sum > 0)) {
                        throw new IllegalArgumentException("covariance matrix is not positive definite");
                    }
                    lower[i][i] = Math.sqrt(sum);
                } else {
                    lower[i][j] = sum / lower[j][j];
                }
            }
        }
    }

    double logDeterminant() {
        double s = 0;
        for (int i = 0; i < lower.length; i++) {
            s += Math.log(lower[i][i]);
        }
        return 2 * s;
    }

    double[][] inverse() {
        int d = lower.length;
        double[][] inv = new double[d][d];
        for (int col = 0; col < d; col++) {
            double[] y = new double[d];
            for (int i = 0; i < d; i++) {
                double s = i == col ? 1 : 0;
                for (int k = 0; k < i; k++) {
                    s -= lower[i][k] * y[k];
                }
                y[i] = s / lower[i][i];
            }
            for (int i = d - 1; i >= 0; i--) {
                double s = y[i];
                for (int k = i + 1; k < d; k++) {
                    s -= lower[k][i] * inv[k][col];
                }
                inv[i][col] = s / lower[i][i];
            }
        }
        return inv;
    }
}
