package org.score4j.core.evaluation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.score4j.api.Dataset;
import org.score4j.api.LabelledDataset;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.ScoreFunction;
import org.score4j.api.tensors.Tensors;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.random.Seeds;

/**
 * Metrics of a run on images: the denoising loss per σ on held-out and on training images, the distance of
 * samples to their nearest training image (memorisation), and, for labelled data, a classifier's class
 * histogram of the samples and the Fréchet distance of its features.
 */
public final class ImageMetrics {
    static final int DENOISING_IMAGES = 256;
    static final int DENOISING_LEVELS = 8;
    static final int TRAINING_REFERENCE = 10000;
    private static final int TRAINING_CHUNK = 4096;
    /** Below this many samples a Fréchet distance comes with a warning. */
    static final int FRECHET_MINIMUM_SAMPLES = 1000;
    private static final int BATCH = 128;

    private ImageMetrics() {
    }

    /** The denoising metrics of a trained score (with or without samples). */
    static Map<String, Object> denoising(ScoreFunction score, Dataset data, NoiseSchedule schedule, long seed) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("loss", "mean over images of ½‖σ·s(x + σz, σ) + z‖², the DSM loss at λ(σ) = σ²; 0 is perfect, "
                + "½·dimension is the zero score");
        out.put("images", DENOISING_IMAGES);
        data.heldOut().ifPresent(h -> out.put("held_out", perSigma(score, h, schedule, Seeds.derive(seed, "held-out-denoising"))));
        out.put("training", perSigma(score, data, schedule, Seeds.derive(seed, "train-denoising")));
        return out;
    }

    private static List<Map<String, Object>> perSigma(ScoreFunction score, Dataset data, NoiseSchedule schedule,
                                                      long seed) {
        SeededRandom rng = new SeededRandom(seed);
        INDArray images = data.sample(DENOISING_IMAGES, rng);
        List<Map<String, Object>> levels = new ArrayList<>();
        for (int level : spread(schedule.size(), DENOISING_LEVELS)) {
            double sigma = schedule.sigma(level);
            double total = 0;
            for (int from = 0; from < DENOISING_IMAGES; from += BATCH) {
                INDArray x = images.get(NDArrayIndex.interval(from, Math.min(from + BATCH, DENOISING_IMAGES)));
                INDArray z = rng.normal(x.shape());
                INDArray noisy = x.add(z.mul(sigma));
                INDArray r = score.score(noisy, sigma).castTo(DataType.DOUBLE).muli(sigma).addi(z.castTo(DataType.DOUBLE));
                total += Tensors.rowSquaredNorms(r).sumNumber().doubleValue() / 2;
            }
            levels.add(Evaluation.fields("sigma", Evaluation.round(sigma), "loss", Evaluation.round(total / DENOISING_IMAGES)));
        }
        return levels;
    }

    /** Nearest-neighbour distances and, for labelled data, the classifier metrics. */
    static Map<String, Object> samples(INDArray samples, Dataset data, long seed, Path cache) {
        Map<String, Object> out = new LinkedHashMap<>();
        Nearest fromSamples = nearestTraining(Tensors.rows(samples), data, seed);
        Map<String, Object> nn = new LinkedHashMap<>();
        nn.put("training_images", fromSamples.training());
        nn.put("compared_with", fromSamples.how());
        nn.put("sample_median", Evaluation.round(median(fromSamples.distances())));
        nn.put("sample_min", Evaluation.round(Arrays.stream(fromSamples.distances()).min().orElse(Double.NaN)));
        data.heldOut().ifPresent(h -> {
            double[] fromHeldOut = nearestTraining(Tensors.rows(h.sample((int) samples.size(0),
                    new SeededRandom(Seeds.derive(seed, "held-out-nn")))), data, seed).distances();
            double reference = median(fromHeldOut);
            nn.put("held_out_median", Evaluation.round(reference));
            nn.put("ratio", Evaluation.round(median(fromSamples.distances()) / reference));
            nn.put("copies", Evaluation.round(Arrays.stream(fromSamples.distances()).filter(d -> d < 0.5 * reference)
                    .count() / (double) fromSamples.distances().length));
        });
        nn.put("meaning", "Euclidean distance from each sample to its nearest training image; held_out_median is the "
                + "same for held-out images, so a ratio well below 1 or copies > 0 (samples closer than half of it) "
                + "suggests memorisation");
        out.put("nearest_training_image", nn);
        if (data instanceof LabelledDataset labelled) {
            out.put("classifier", classifier(samples, labelled, seed, cache));
        }
        return out;
    }

    private static Map<String, Object> classifier(INDArray samples, LabelledDataset data, long seed, Path cache) {
        FeatureClassifier c = FeatureClassifier.of(data, cache);
        int n = (int) samples.size(0);
        LabelledDataset reference = data.heldOut().filter(LabelledDataset.class::isInstance)
                .map(LabelledDataset.class::cast).orElse(data);
        Dataset.Labelled real = reference.sampleLabelled(Math.max(n, 1000),
                new SeededRandom(Seeds.derive(seed, "classifier-reference")));
        Dataset.Labelled other = reference.sampleLabelled(n, new SeededRandom(Seeds.derive(seed, "classifier-floor")));
        int[] predicted = c.classify(real.examples());
        int right = 0;
        for (int i = 0; i < predicted.length; i++) {
            right += predicted[i] == real.labels()[i] ? 1 : 0;
        }
        double[][] realFeatures = c.features(real.examples());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", "feature Fréchet distance of a small MLP classifier (" + FeatureClassifier.VERSION
                + ") trained on this data set; comparable between runs on the same data, not with Inception FID");
        out.put("accuracy", Evaluation.round(right / (double) predicted.length));
        out.put("frechet_distance", Evaluation.round(FrechetDistance.between(c.features(samples), realFeatures)));
        out.put("frechet_distance_data_floor", Evaluation.round(FrechetDistance.between(c.features(other.examples()),
                realFeatures)));
        out.put("frechet_samples", n);
        out.put("frechet_reference_images", real.labels().length);
        out.put("frechet_floor", "the same distance for " + n + " held-out images: what real data scores at this n");
        if (n < FRECHET_MINIMUM_SAMPLES) {
            out.put("warning", "the Fréchet distance of " + n + " samples is biased upwards (below "
                    + FRECHET_MINIMUM_SAMPLES + " it moves with n): compare it only with its floor at the same n");
        }
        out.put("sample_classes", histogram(c.classify(samples), data.classes()));
        out.put("data_classes", histogram(real.labels(), data.classes()));
        return out;
    }

    /** How often the cached classifier gives images of {@code b} the class it gives the same rows of {@code a}. */
    public static double agreement(INDArray a, INDArray b, LabelledDataset data) {
        FeatureClassifier c = FeatureClassifier.of(data, FeatureClassifier.defaultCache());
        int[] x = c.classify(a);
        int[] y = c.classify(b);
        int same = 0;
        for (int i = 0; i < x.length; i++) {
            same += x[i] == y[i] ? 1 : 0;
        }
        return Evaluation.round(same / (double) x.length);
    }

    /**
     * Class-conditional samples judged by the cached classifier: the share it labels with the class they were drawn for
     * (overall and per class), and per class the Fréchet distance to that class's held-out images with its floor.
     *
     * @param intended each sample's class
     */
    public static Map<String, Object> conditional(INDArray samples, int[] intended, LabelledDataset data, long seed) {
        FeatureClassifier c = FeatureClassifier.of(data, FeatureClassifier.defaultCache());
        int[] predicted = c.classify(samples);
        int classes = data.classes();
        int right = 0;
        int[] perClass = new int[classes];
        int[] perClassRight = new int[classes];
        for (int i = 0; i < predicted.length; i++) {
            perClass[intended[i]]++;
            if (predicted[i] == intended[i]) {
                right++;
                perClassRight[intended[i]]++;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("class_accuracy", Evaluation.round(right / (double) predicted.length));
        double[] accuracy = new double[classes];
        for (int k = 0; k < classes; k++) {
            accuracy[k] = perClass[k] == 0 ? Double.NaN : Evaluation.round(perClassRight[k] / (double) perClass[k]);
        }
        out.put("class_accuracy_per_class", accuracy);
        LabelledDataset reference = data.heldOut().filter(LabelledDataset.class::isInstance)
                .map(LabelledDataset.class::cast).orElse(data);
        Dataset.Labelled real = reference.sampleLabelled(Math.max(2000, predicted.length),
                new SeededRandom(Seeds.derive(seed, "class-reference")));
        double[][] realFeatures = c.features(real.examples());
        double[][] sampleFeatures = c.features(samples);
        double[] fd = new double[classes];
        for (int k = 0; k < classes; k++) {
            double[][] mine = rows(sampleFeatures, intended, k);
            double[][] theirs = rows(realFeatures, real.labels(), k);
            fd[k] = mine.length < 2 || theirs.length < 2 ? Double.NaN
                    : Evaluation.round(FrechetDistance.between(mine, theirs));
        }
        out.put("frechet_distance_per_class", fd);
        out.put("samples_per_class", perClass);
        return out;
    }

    private static double[][] rows(double[][] features, int[] labels, int k) {
        java.util.List<double[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == k) {
                out.add(features[i]);
            }
        }
        return out.toArray(new double[0][]);
    }

    private static double[] histogram(int[] labels, int classes) {
        double[] h = new double[classes];
        for (int l : labels) {
            h[l] += 1.0 / labels.length;
        }
        for (int i = 0; i < classes; i++) {
            h[i] = Evaluation.round(h[i]);
        }
        return h;
    }

    /** Each row's distance to its nearest training example, how many examples that was, and how they were read. */
    record Nearest(double[] distances, int training, String how) {
    }

    /**
     * For each row of {@code rows}, the distance to the nearest training example: every example of a finite data set,
     * with its stored values (no dequantisation noise), read in chunks; for a data set defined by a distribution,
     * {@value #TRAINING_REFERENCE} draws.
     */
    static Nearest nearestTraining(INDArray rows, Dataset data, long seed) {
        if (data instanceof org.score4j.api.FiniteDataset finite) {
            double[] best = new double[(int) rows.size(0)];
            Arrays.fill(best, Double.POSITIVE_INFINITY);
            for (int from = 0; from < finite.size(); from += TRAINING_CHUNK) {
                double[] d = nearest(rows, Tensors.rows(finite.examples(from, Math.min(finite.size(), from + TRAINING_CHUNK))));
                for (int i = 0; i < best.length; i++) {
                    best[i] = Math.min(best[i], d[i]);
                }
            }
            return new Nearest(best, finite.size(), "every training example, its stored values");
        }
        INDArray training = Tensors.rows(data.sample(TRAINING_REFERENCE,
                new SeededRandom(Seeds.derive(seed, "training-reference"))));
        return new Nearest(nearest(rows, training), TRAINING_REFERENCE, TRAINING_REFERENCE + " draws from the data's "
                + "distribution (it has no finite list of examples)");
    }

    /** For each row of {@code a}, the distance to the nearest row of {@code b}. */
    static double[] nearest(INDArray a, INDArray b) {
        INDArray bf = b.castTo(DataType.FLOAT);
        INDArray bNorms = bf.mul(bf).sum(1).reshape(1, bf.size(0));
        double[] out = new double[(int) a.size(0)];
        for (int from = 0; from < out.length; from += BATCH) {
            INDArray x = a.get(NDArrayIndex.interval(from, Math.min(from + BATCH, out.length)), NDArrayIndex.all())
                    .castTo(DataType.FLOAT);
            INDArray d2 = x.mmul(bf.transpose()).muli(-2).addiRowVector(bNorms)
                    .addiColumnVector(x.mul(x).sum(1).reshape(x.size(0), 1));
            double[] min = d2.min(1).toDoubleVector();
            for (int i = 0; i < min.length; i++) {
                out[from + i] = Math.sqrt(Math.max(min[i], 0));
            }
        }
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** {@code k} level indices spread from the first to the last. */
    static int[] spread(int levels, int k) {
        int m = Math.min(levels, k);
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = m == 1 ? 0 : (int) Math.round(i * (levels - 1.0) / (m - 1));
        }
        return out;
    }
}
