package org.score4j.core.conditional;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.score4j.api.Dataset;
import org.score4j.api.FiniteDataset;
import org.score4j.api.LabelledDataset;
import org.score4j.api.ScoreFunction;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.random.Seeds;
import org.score4j.api.tensors.Tensors;
import org.score4j.core.RunProgress;
import org.score4j.core.UserError;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.evaluation.ImageMetrics;
import org.score4j.core.output.RunDirectory;
import org.score4j.core.plots.Plots;

/**
 * Inpainting held-out images (NCSN's Figure 6): a mask hides part of each image, the run's sampler fills it with the
 * observed pixels held fixed ({@link Observing}), and the result is drawn as rows of original, masked and completed
 * images, and measured: the error on the filled pixels and, for labelled images, how often the cached classifier gives
 * the completed image the original's class.
 */
public final class Inpainting {
    private Inpainting() {
    }

    /** Inpaints {@code count} held-out images into {@code dir}; returns the metrics written. */
    public static Map<String, Object> run(ResolvedRun run, ScoreFunction score, String mask, double fraction, int count,
                                          RunDirectory dir, RunProgress progress) {
        if (run.data().exampleShape().length != 3) {
            throw new UserError("inpaint fills images; the data '" + run.data().getClass().getSimpleName()
                    + "' has examples of shape " + java.util.Arrays.toString(run.data().exampleShape())
                    + " (use score4j impute for tables)");
        }
        Dataset source = run.data().heldOut().orElse(run.data());
        INDArray originals = source instanceof FiniteDataset f ? f.examples(0, Math.min(count, f.size()))
                : source.sample(count, new SeededRandom(Seeds.derive(run.seed(), "inpaint")));
        int n = (int) originals.size(0);
        INDArray m;
        try {
            m = Masks.of(mask, originals.shape(), fraction, Seeds.derive(run.seed(), "mask"));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        Imputation.Result r = Imputation.fill(run, score, originals, m, 1, progress);
        INDArray completed = r.filled();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("images", n);
        metrics.put("source", source == run.data() ? "training images" : "held-out images");
        metrics.put("mask", mask);
        metrics.put("filled_fraction", mask.equals("half") ? 0.5 : fraction);
        metrics.put("rmse_filled_pixels", rmse(completed, originals, m));
        metrics.put("rmse_filled_pixels_by_mean_image", rmse(meanFill(originals, m, run), originals, m));
        if (run.data() instanceof LabelledDataset labelled) {
            metrics.put("classifier_agreement", ImageMetrics.agreement(originals, completed, labelled));
        }
        metrics.put("seconds", r.seconds());
        INDArray shown = originals.mul(m).addi(m.rsub(1).muli(0.5));
        INDArray grid = Nd4j.concat(0, interleave(originals, shown, completed));
        Path file = dir.file("inpainting.png");
        try {
            Plots.imageGrid(file, grid, 3, 2);
        } catch (IOException e) {
            throw UserError.io("draw", file, e);
        }
        return metrics;
    }

    /** Rows of (original, masked, completed). */
    private static INDArray[] interleave(INDArray a, INDArray b, INDArray c) {
        int n = (int) a.size(0);
        INDArray[] out = new INDArray[3 * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                INDArray src = List.of(a, b, c).get(k);
                out[3 * i + k] = src.get(NDArrayIndex.interval(i, i + 1)).castTo(DataType.FLOAT);
            }
        }
        return out;
    }

    /** The hidden pixels filled with the mean training image's: the baseline a model must beat. */
    private static INDArray meanFill(INDArray originals, INDArray m, ResolvedRun run) {
        INDArray mean = run.data().sample(2000, new SeededRandom(Seeds.derive(run.seed(), "mean-image"))).mean(0);
        INDArray filled = originals.mul(m);
        for (int i = 0; i < originals.size(0); i++) {
            filled.get(NDArrayIndex.point(i)).addi(mean.mul(m.get(NDArrayIndex.point(i)).rsub(1)));
        }
        return filled;
    }

    private static double rmse(INDArray a, INDArray b, INDArray m) {
        float[] x = Tensors.floats(a);
        float[] y = Tensors.floats(b);
        float[] mask = Tensors.floats(m);
        double sum = 0;
        long count = 0;
        for (int i = 0; i < x.length; i++) {
            if (mask[i] < 0.5f) {
                double e = x[i] - y[i];
                sum += e * e;
                count++;
            }
        }
        return count == 0 ? Double.NaN : Math.sqrt(sum / count);
    }
}
