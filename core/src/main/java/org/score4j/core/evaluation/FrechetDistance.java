package org.score4j.core.evaluation;

/**
 * The Fréchet distance between Gaussians fitted to two sets of feature vectors:
 * ‖μ₁ − μ₂‖² + tr(C₁ + C₂ − 2(C₁^½ C₂ C₁^½)^½).
 */
final class FrechetDistance {
    private FrechetDistance() {
    }

    static double between(double[][] a, double[][] b) {
        double[] ma = mean(a);
        double[] mb = mean(b);
        double[][] ca = covariance(a, ma);
        double[][] cb = covariance(b, mb);
        double d = 0;
        for (int i = 0; i < ma.length; i++) {
            d += (ma[i] - mb[i]) * (ma[i] - mb[i]);
        }
        double[][] root = function(ca, Math::sqrt);
        double[][] middle = multiply(multiply(root, cb), root);
        symmetrize(middle);
        double cross = 0;
        for (double v : eigenvalues(middle)) {
            cross += Math.sqrt(Math.max(v, 0));
        }
        return d + trace(ca) + trace(cb) - 2 * cross;
    }

    static double[] mean(double[][] x) {
        double[] m = new double[x[0].length];
        for (double[] row : x) {
            for (int j = 0; j < m.length; j++) {
                m[j] += row[j] / x.length;
            }
        }
        return m;
    }

    private static double[][] covariance(double[][] x, double[] m) {
        int d = m.length;
        double[][] c = new double[d][d];
        for (double[] row : x) {
            for (int i = 0; i < d; i++) {
                double u = row[i] - m[i];
                for (int j = i; j < d; j++) {
                    c[i][j] += u * (row[j] - m[j]);
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                c[i][j] /= x.length - 1;
                c[j][i] = c[i][j];
            }
        }
        return c;
    }

    /** f(A) for symmetric A: V f(Λ) Vᵀ, eigenvalues clipped at 0. */
    private static double[][] function(double[][] a, java.util.function.DoubleUnaryOperator f) {
        int n = a.length;
        double[][] v = identity(n);
        double[][] w = copy(a);
        jacobi(w, v);
        double[][] out = new double[n][n];
        for (int k = 0; k < n; k++) {
            double fk = f.applyAsDouble(Math.max(w[k][k], 0));
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    out[i][j] += v[i][k] * fk * v[j][k];
                }
            }
        }
        return out;
    }

    static double[] eigenvalues(double[][] a) {
        double[][] w = copy(a);
        jacobi(w, identity(a.length));
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = w[i][i];
        }
        return out;
    }

    /** Cyclic Jacobi rotations: {@code a} becomes diagonal (its eigenvalues), {@code v} collects the eigenvectors. */
    private static void jacobi(double[][] a, double[][] v) {
        int n = a.length;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double all = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    all += a[i][j] * a[i][j];
                    off += i != j ? a[i][j] * a[i][j] : 0;
                }
            }
            if (off <= 1e-22 * all) {
                return;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < b.length; k++) {
                double aik = a[i][k];
                for (int j = 0; j < m; j++) {
                    out[i][j] += aik * b[k][j];
                }
            }
        }
        return out;
    }

    private static void symmetrize(double[][] a) {
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
                double m = (a[i][j] + a[j][i]) / 2;
                a[i][j] = m;
                a[j][i] = m;
            }
        }
    }

    private static double trace(double[][] a) {
        double t = 0;
        for (int i = 0; i < a.length; i++) {
            t += a[i][i];
        }
        return t;
    }

    private static double[][] identity(int n) {
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        return v;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
