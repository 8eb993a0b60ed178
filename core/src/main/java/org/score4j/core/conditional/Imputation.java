package org.score4j.core.conditional;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.ScoreFunction;
import org.score4j.api.StepListener;
import org.score4j.api.tensors.Tensors;
import org.score4j.core.RunProgress;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.config.SampleSettings;
import org.score4j.core.sampling.ChainSampling;

/**
 * Fills the unobserved coordinates of examples by sampling the run's score with its sampler and grid, the observed
 * ones held fixed ({@link Observing}): imputation of a table's empty cells, inpainting of images. Each example gets
 * {@code draws} chains; their mean is the imputed value (an estimate of the posterior mean, which minimises the
 * squared error), and the draws themselves are kept (samples of the posterior).
 */
public final class Imputation {
    private Imputation() {
    }

    /**
     * What imputation produced.
     *
     * @param filled the examples with their unobserved coordinates replaced by the mean of the draws, observed ones as
     *               given, {@code [n, shape...]}
     * @param draws  every chain's result, {@code [n·draws, shape...]}, example i's draws at rows i·draws … i·draws + draws − 1
     * @param seconds wall-clock seconds of sampling
     */
    public record Result(INDArray filled, INDArray draws, double seconds) {
    }

    /**
     * @param examples {@code [n, shape...]} with NaN where a value is missing
     * @param mask     1 observed, 0 to fill, the shape of {@code examples}
     * @param draws    chains per example, ≥ 1
     */
    public static Result fill(ResolvedRun run, ScoreFunction score, INDArray examples, INDArray mask, int draws,
                              RunProgress progress) {
        Objects.requireNonNull(examples, "examples");
        if (draws < 1) {
            throw new IllegalArgumentException("draws must be >= 1, got " + draws);
        }
        long t0 = System.nanoTime();
        int n = (int) examples.size(0);
        INDArray values = repeat(examples, draws);
        INDArray masks = repeat(mask, draws);
        SampleSettings s = run.sample();
        SampleSettings settings = new SampleSettings(n * draws, s.batchSize(), s.start(), s.low(), s.high(), s.toZero(),
                -1, 0);
        ChainSampling chains = new ChainSampling(score, run.sampler(), run.grid(), settings, run.seed(),
                run.data().exampleShape());
        long total = chains.evaluations();
        StepListener bar = step -> progress.progress("impute", Math.min(step.evaluations(), total), total, null);
        INDArray sampled = chains.run(new Observing(values, masks, run.seed(), bar));
        progress.progress("impute", total, total, null);
        int d = (int) (examples.length() / n);
        float[] all = Tensors.floats(sampled);
        float[] given = Tensors.floats(examples.castTo(DataType.FLOAT));
        float[] observed = Tensors.floats(mask.castTo(DataType.FLOAT));
        float[] filled = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                int at = i * d + j;
                if (observed[at] > 0.5f) {
                    filled[at] = given[at];
                } else {
                    double sum = 0;
                    for (int k = 0; k < draws; k++) {
                        sum += all[(i * draws + k) * d + j];
                    }
                    filled[at] = (float) (sum / draws);
                }
            }
        }
        return new Result(Tensors.array(filled, DataType.FLOAT, examples.shape()), sampled,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Each row {@code times} times in a row. */
    static INDArray repeat(INDArray a, int times) {
        if (times == 1) {
            return a.castTo(DataType.FLOAT);
        }
        int n = (int) a.size(0);
        int d = (int) (a.length() / n);
        float[] v = Tensors.floats(a.castTo(DataType.FLOAT));
        float[] out = new float[n * times * d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < times; k++) {
                System.arraycopy(v, i * d, out, (i * times + k) * d, d);
            }
        }
        long[] shape = a.shape().clone();
        shape[0] = (long) n * times;
        return Tensors.array(out, DataType.FLOAT, shape);
    }
}
