package org.score4j.datasets;

import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.util.List;
import org.score4j.api.Dataset;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.spi.DatasetFactory;
import org.score4j.api.spi.Score4jPlugin;
import org.score4j.api.spi.Settings;

/**
 * Contributes the data sets {@code mixture}, {@code rings}, {@code swiss-roll}, {@code moons}, {@code checkerboard},
 * {@code csv}, and the image sets {@code digits}, {@code idx} and {@code image-folder}.
 */
public final class DatasetsPlugin implements Score4jPlugin {

    @Override
    public String apiVersion() {
        return API_VERSION;
    }

    @Override
    public List<DatasetFactory> datasets() {
        return List.of(
                DatasetFactory.of("mixture", "Gaussian mixture (default: NCSN's 1/5 N((-5,-5), I) + 4/5 N((5,5), I))", """
                        # Mean of each component (all of one dimension).
                        means = [[-5, -5], [5, 5]]
                        # Weight of each component; they must sum to 1.
                        weights = [0.2, 0.8]
                        # Covariance of each component: a number (variance·I) or a d×d matrix.
                        covariances = [1, 1]
                        """, DatasetsPlugin::mixture),
                DatasetFactory.of("rings", "concentric noisy circles, points spread evenly along their length", """
                        # Radius of each ring.
                        radii = [2, 4, 6]
                        # Standard deviation of the Gaussian noise around each ring.
                        noise = 0.1
                        """, s -> {
                            double[] radii = s.reals("radii");
                            double noise = s.atLeast("noise", 0);
                            s.require(radii.length > 0 && java.util.Arrays.stream(radii).allMatch(r -> r > 0), "radii",
                                    "expected a non-empty list of radii > 0");
                            return s.build(() -> PointCloud.rings(radii, noise));
                        }),
                scaledCurve("swiss-roll", "the 2-D swiss roll (t cos t, t sin t), t in [1.5π, 4.5π]",
                        "Scale of the roll.", 0.5, 0.25, PointCloud::swissRoll),
                scaledCurve("moons", "two interleaving half circles",
                        "Scale of the moons (the unit moons span about 3 × 1.5).", 3, 0.2, PointCloud::moons),
                DatasetFactory.of("checkerboard", "uniform on the dark squares of a checkerboard centred on 0", """
                        # Squares per side.
                        cells = 4
                        # Width of the whole board.
                        width = 8
                        """, s -> {
                            int cells = s.integer("cells", 2);
                            s.require(cells <= 1000, "cells", "at most 1000 squares per side, got " + cells);
                            double width = s.positive("width");
                            return s.build(() -> PointCloud.checkerboard(cells, width));
                        }),
                DatasetFactory.of("digits", "handwriting-like digits 0-9 drawn procedurally (embedded, nothing to download), "
                        + "1×28×28, labelled", """
                        # Images in the training pool, drawn once from pool-seed.
                        count = 20000
                        # Width and height in pixels.
                        size = 28
                        # Seed of the pool: not the run's seed, so every run trains on the same images.
                        pool-seed = 0
                        # Images drawn apart from the pool and never trained on, for held-out metrics (0: none).
                        held-out = 2000
                        # Uniform dequantisation: pixel p becomes (p + u)/256 with u ~ U[0, 1) per draw; false: p/255.
                        dequantize = true
                        """, s -> {
                            int count = s.integer("count", 10);
                            int size = s.integer("size", 8);
                            s.require(size <= 256, "size", "at most 256 pixels, got " + size);
                            s.require((long) count * size * size <= (1L << 30), "count",
                                    "count × size² must stay within 2^30 pixels, got " + (long) count * size * size);
                            int seed = s.integer("pool-seed", 0);
                            int heldOut = s.integer("held-out", 0);
                            s.require((long) heldOut * size * size <= (1L << 30), "held-out",
                                    "held-out × size² must stay within 2^30 pixels, got " + (long) heldOut * size * size);
                            boolean dequantize = s.flag("dequantize");
                            return s.build(() -> StrokeDigits.create(count, size, seed, dequantize, heldOut));
                        }),
                DatasetFactory.of("idx", "grey images in MNIST's IDX format (gzipped or not), e.g. MNIST or Fashion-MNIST, with "
                        + "optional labels", """
                        # The IDX image file, e.g. /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz.
                        images = ""
                        # The IDX label file ("" for none).
                        labels = ""
                        # Held-out IDX images never trained on, e.g. the t10k file ("" for none).
                        held-out-images = ""
                        # Their IDX label file ("" for none).
                        held-out-labels = ""
                        # Uniform dequantisation: pixel p becomes (p + u)/256 with u ~ U[0, 1) per draw; false: p/255.
                        dequantize = true
                        """, s -> {
                            String labels = optionalPath(s, "labels");
                            String heldOut = optionalPath(s, "held-out-images");
                            String heldOutLabels = optionalPath(s, "held-out-labels");
                            boolean dequantize = s.flag("dequantize");
                            ImageSet test = null;
                            if (!heldOut.isBlank()) {
                                try {
                                    test = IdxFiles.read(Path.of(heldOut),
                                            heldOutLabels.isBlank() ? null : Path.of(heldOutLabels), dequantize);
                                } catch (MalformedFileException e) {
                                    s.problem("held-out-images", e.getMessage());
                                }
                            }
                            ImageSet held = test;
                            return fromFile(s, "images", "the IDX image file", f -> {
                                ImageSet train = IdxFiles.read(f, labels.isBlank() ? null : Path.of(labels), dequantize);
                                try {
                                    return held == null ? train : train.withHeldOut(held);
                                } catch (IllegalArgumentException e) {
                                    throw new MalformedFileException(heldOut + " does not match " + f + ": " + e.getMessage());
                                }
                            });
                        }),
                DatasetFactory.of("image-folder", "a folder of PNG or JPEG images of one size; sub-folders are classes", """
                        # The folder (relative paths from the working directory).
                        path = ""
                        # 1: grey, 3: red, green and blue.
                        channels = 1
                        # Uniform dequantisation: pixel p becomes (p + u)/256 with u ~ U[0, 1) per draw; false: p/255.
                        dequantize = true
                        """, s -> {
                            int channels = s.integer("channels", 1);
                            s.require(channels == 1 || channels == 3, "channels", "expected 1 (grey) or 3 (RGB), got " + channels);
                            boolean dequantize = s.flag("dequantize");
                            return fromFile(s, "path", "the folder of images", f -> ImageFolder.read(f, channels, dequantize));
                        }),
                DatasetFactory.of("csv", "points from a CSV file (one point a line, optional header), sampled with replacement; "
                        + "optionally labelled", """
                        # The CSV file (relative paths from the working directory).
                        path = ""
                        # The column holding each row's class, by header name or 1-based index ("" for none).
                        label-column = ""
                        # Held-out rows never trained on, a CSV file with the same columns ("" for none).
                        held-out-path = ""
                        """, s -> {
                            String label = optionalPath(s, "label-column");
                            String heldOut = optionalPath(s, "held-out-path");
                            CsvPoints held = null;
                            if (!heldOut.isBlank()) {
                                try {
                                    held = CsvPoints.read(Path.of(heldOut), label);
                                } catch (MalformedFileException e) {
                                    s.problem("held-out-path", e.getMessage());
                                }
                            }
                            CsvPoints test = held;
                            return fromFile(s, "path", "the CSV file of points", f -> {
                                CsvPoints train = CsvPoints.read(f, label);
                                try {
                                    return test == null ? train : train.withHeldOut(test);
                                } catch (IllegalArgumentException e) {
                                    throw new MalformedFileException(heldOut + " does not match " + f + ": " + e.getMessage());
                                }
                            });
                        }));
    }

    /** Reads a data set from a file or folder; a problem of the file is reported at {@code key}. */
    @FunctionalInterface
    private interface FileReader {
        Dataset read(Path file) throws MalformedFileException;
    }

    /** The data set read from the file named by {@code key}, which must be set ({@code what} it is names it). */
    private static Dataset fromFile(Settings s, String key, String what, FileReader reader) {
        String path = optionalPath(s, key);
        Dataset read = null;
        if (path.isBlank()) {
            s.problem(key, "set it to " + what + " to train on");
        } else {
            try {
                read = reader.read(Path.of(path));
            } catch (MalformedFileException e) {
                s.problem(key, e.getMessage());
            }
        }
        Dataset data = read;
        return s.build(() -> data);
    }

    /** A file or folder key: "" when unset. */
    private static String optionalPath(Settings s, String key) {
        return s.value(key) == null ? "" : String.valueOf(s.value(key).unwrapped());
    }

    /** A point cloud defined by a scale and the Gaussian noise around its curve. */
    @FunctionalInterface
    private interface Curve {
        PointCloud create(double scale, double noise);
    }

    private static DatasetFactory scaledCurve(String name, String description, String scaleDoc, double scale,
                                              double noise, Curve curve) {
        String defaults = "# " + scaleDoc + "\nscale = " + scale
                + "\n# Standard deviation of the Gaussian noise.\nnoise = " + noise + "\n";
        return DatasetFactory.of(name, description, defaults, s -> {
            double sc = s.positive("scale");
            double no = s.atLeast("noise", 0);
            return s.build(() -> curve.create(sc, no));
        });
    }

    private static Dataset mixture(Settings s) {
        double[] weights = s.reals("weights");
        double[][] means = matrix(s, "means");
        ConfigValue cov = s.value("covariances");
        int k = weights.length;
        s.require(means.length == k, "means", "expected " + k + " means (one per weight), got " + means.length);
        double[][][] covariances = new double[k][][];
        if (cov != null && cov.unwrapped() instanceof List<?> items && items.size() == k && means.length == k) {
            for (int c = 0; c < k; c++) {
                int d = means[c].length;
                Object item = items.get(c);
                if (item instanceof Number v && v.doubleValue() > 0) {
                    covariances[c] = new double[d][d];
                    for (int i = 0; i < d; i++) {
                        covariances[c][i][i] = v.doubleValue();
                    }
                } else {
                    covariances[c] = toMatrix(item);
                    if (covariances[c] == null || covariances[c].length != d) {
                        s.problem("covariances", "entry " + (c + 1) + " must be a variance > 0 or a " + d + "×" + d
                                + " matrix, got " + item);
                    }
                }
            }
        } else if (means.length == k) {
            s.problem("covariances", "expected a list of " + k + " entries (one per weight), got "
                    + (cov == null ? "nothing" : cov.render()));
        }
        double sum = java.util.Arrays.stream(weights).sum();
        s.require(Math.abs(sum - 1) <= 1e-6, "weights", "must sum to 1, got " + sum);
        return s.build(() -> new MixtureData(new GaussianMixture(weights, means, covariances)));
    }

    private static double[][] matrix(Settings s, String key) {
        ConfigValue v = s.value(key);
        double[][] m = v == null ? null : toMatrix(v.unwrapped());
        if (m == null) {
            s.problem(key, "expected a list of lists of numbers, got " + (v == null ? "nothing" : v.render()));
            return new double[0][];
        }
        return m;
    }

    private static double[][] toMatrix(Object raw) {
        if (!(raw instanceof List<?> rows)) {
            return null;
        }
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            if (!(rows.get(i) instanceof List<?> row)) {
                return null;
            }
            out[i] = new double[row.size()];
            for (int j = 0; j < out[i].length; j++) {
                if (!(row.get(j) instanceof Number n)) {
                    return null;
                }
                out[i][j] = n.doubleValue();
            }
        }
        return out;
    }
}
