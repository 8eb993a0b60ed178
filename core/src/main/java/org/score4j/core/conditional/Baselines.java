package org.score4j.core.conditional;

import java.util.Arrays;

/**
 * The imputations a score model's must beat: each missing cell replaced by its column's mean over the reference rows,
 * or by the mean of its k nearest reference rows, nearness measured on the row's observed cells only.
 */
public final class Baselines {
    private Baselines() {
    }

    /**
     * Mean imputation.
     *
     * @param rows      [n][d], NaN where missing
     * @param reference [m][d] complete rows (the training data)
     */
    public static double[][] mean(double[][] rows, double[][] reference) {
        int d = reference[0].length;
        double[] means = new double[d];
        for (double[] r : reference) {
            for (int j = 0; j < d; j++) {
                means[j] += r[j] / reference.length;
            }
        }
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
            for (int j = 0; j < d; j++) {
                if (Double.isNaN(out[i][j])) {
                    out[i][j] = means[j];
                }
            }
        }
        return out;
    }

    /** k-nearest-neighbour imputation over the observed cells of each row. */
    public static double[][] nearestNeighbours(double[][] rows, double[][] reference, int k) {
        int d = reference[0].length;
        int kk = Math.min(k, reference.length);
        double[][] out = new double[rows.length][];
        double[] distance = new double[reference.length];
        Integer[] order = new Integer[reference.length];
        for (int i = 0; i < rows.length; i++) {
            double[] row = rows[i];
            for (int r = 0; r < reference.length; r++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    if (!Double.isNaN(row[j])) {
                        double diff = row[j] - reference[r][j];
                        s += diff * diff;
                    }
                }
                distance[r] = s;
                order[r] = r;
            }
            Arrays.sort(order, (a, b) -> Double.compare(distance[a], distance[b]));
            out[i] = row.clone();
            for (int j = 0; j < d; j++) {
                if (Double.isNaN(row[j])) {
                    double sum = 0;
                    for (int t = 0; t < kk; t++) {
                        sum += reference[order[t]][j];
                    }
                    out[i][j] = sum / kk;
                }
            }
        }
        return out;
    }

    /** The root mean squared error over the cells {@code hidden} marks, between an imputation and the truth. */
    public static double rmse(double[][] imputed, double[][] truth, boolean[][] hidden) {
        double sum = 0;
        long count = 0;
        for (int i = 0; i < truth.length; i++) {
            for (int j = 0; j < truth[i].length; j++) {
                if (hidden[i][j]) {
                    double e = imputed[i][j] - truth[i][j];
                    sum += e * e;
                    count++;
                }
            }
        }
        return count == 0 ? Double.NaN : Math.sqrt(sum / count);
    }
}
