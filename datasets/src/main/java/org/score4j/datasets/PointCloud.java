package org.score4j.datasets;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.Dataset;
import org.score4j.api.random.RandomSource;
import org.score4j.api.spi.Fingerprint;

/** A 2-D distribution defined by a generator: rings, swiss roll, moons, checkerboard. */
public final class PointCloud implements Dataset {

    /** Draws n points as x[i], y[i] from uniform and normal variates supplied by the caller. */
    @FunctionalInterface
    public interface Generator {
        /**
         * @param u  uniform [0, 1) variates, [n][3]
         * @param z  standard normal variates, [n][2]
         * @param xy output, [n][2]
         */
        void generate(float[][] u, float[][] z, float[][] xy);
    }

    private final String definition;
    private final Generator generator;

    /**
     * @param definition the name and parameters, e.g. {@code rings(radii=[2,4], noise=0.1)}; fingerprinted
     * @param generator  the point generator
     */
    public PointCloud(String definition, Generator generator) {
        this.definition = Objects.requireNonNull(definition, "definition");
        this.generator = Objects.requireNonNull(generator, "generator");
    }

    @Override
    public long[] exampleShape() {
        return new long[] {2};
    }

    @Override
    public INDArray sample(int n, RandomSource rng) {
        float[][] u = rows(rng.uniformValues(0, 1, n, 3), n, 3);
        float[][] z = rows(rng.normalValues(n, 2), n, 2);
        float[][] xy = new float[n][2];
        generator.generate(u, z, xy);
        return Nd4j.create(xy);
    }

    /** {@code values} [n·width] in C order as n rows of {@code width}. */
    private static float[][] rows(float[] values, int n, int width) {
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = java.util.Arrays.copyOfRange(values, i * width, (i + 1) * width);
        }
        return rows;
    }

    @Override
    public String fingerprint() {
        return Fingerprint.sha256(definition);
    }

    @Override
    public String toString() {
        return definition;
    }

    static PointCloud rings(double[] radii, double noise) {
        double total = 0;
        for (double r : radii) {
            total += r;
        }
        double sum = total;
        return new PointCloud("rings(radii=" + java.util.Arrays.toString(radii) + ", noise=" + noise + ")", (u, z, xy) -> {
            for (int i = 0; i < xy.length; i++) {
                double pick = u[i][0] * sum;
                double r = radii[radii.length - 1];
                for (double radius : radii) {
                    if (pick < radius) {
                        r = radius;
                        break;
                    }
                    pick -= radius;
                }
                double angle = 2 * Math.PI * u[i][1];
                xy[i][0] = (float) (r * Math.cos(angle) + noise * z[i][0]);
                xy[i][1] = (float) (r * Math.sin(angle) + noise * z[i][1]);
            }
        });
    }

    static PointCloud swissRoll(double scale, double noise) {
        return new PointCloud("swiss-roll(scale=" + scale + ", noise=" + noise + ")", (u, z, xy) -> {
            for (int i = 0; i < xy.length; i++) {
                double t = 1.5 * Math.PI * (1 + 2 * u[i][0]);
                xy[i][0] = (float) (scale * t * Math.cos(t) + noise * z[i][0]);
                xy[i][1] = (float) (scale * t * Math.sin(t) + noise * z[i][1]);
            }
        });
    }

    static PointCloud moons(double scale, double noise) {
        return new PointCloud("moons(scale=" + scale + ", noise=" + noise + ")", (u, z, xy) -> {
            for (int i = 0; i < xy.length; i++) {
                double theta = Math.PI * u[i][0];
                boolean upper = u[i][1] < 0.5;
                double x = upper ? Math.cos(theta) : 1 - Math.cos(theta);
                double y = upper ? Math.sin(theta) : 0.5 - Math.sin(theta);
                xy[i][0] = (float) (scale * (x - 0.5) + noise * z[i][0]);
                xy[i][1] = (float) (scale * (y - 0.25) + noise * z[i][1]);
            }
        });
    }

    static PointCloud checkerboard(int cells, double width) {
        return new PointCloud("checkerboard(cells=" + cells + ", width=" + width + ")", (u, z, xy) -> {
            int filled = (cells * cells + 1) / 2;
            double cell = width / cells;
            for (int i = 0; i < xy.length; i++) {
                int k = Math.min((int) (u[i][0] * filled), filled - 1);
                int index = 2 * k;
                int row = index / cells;
                int col = index % cells;
                if (cells % 2 == 0 && row % 2 == 1) {
                    col = col + 1 - 2 * (col % 2);
                }
                xy[i][0] = (float) (-width / 2 + cell * (col + u[i][1]));
                xy[i][1] = (float) (-width / 2 + cell * (row + u[i][2]));
            }
        });
    }
}
