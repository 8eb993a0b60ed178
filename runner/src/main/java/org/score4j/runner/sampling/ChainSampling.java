package org.score4j.runner.sampling;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.ProgressListener;
import org.score4j.api.Sampler;
import org.score4j.api.ScoreFunction;
import org.score4j.api.random.ChainRandom;
import org.score4j.api.random.Seeds;
import org.score4j.runner.config.SampleSettings;

/**
 * Runs a sampler over {@code count} chains in batches. Chain k draws its start and its noise from its
 * own stream, so the samples do not depend on the batch size.
 */
public final class ChainSampling {
    private ChainSampling() {
    }

    public static INDArray run(ScoreFunction score, Sampler sampler, NoiseSchedule schedule, SampleSettings settings,
                               long seed, long[] exampleShape, ProgressListener progress) {
        int batches = batches(settings);
        long total = sampler.evaluations(schedule) * batches;
        List<INDArray> parts = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            parts.add(batch(score, sampler, schedule, settings, seed, exampleShape, b, progress, total));
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    /** How many batches {@link #run} samples: {@code sample.count} chains, {@code sample.batch-size} at a time. */
    public static int batches(SampleSettings settings) {
        return (settings.count() + settings.batchSize() - 1) / settings.batchSize();
    }

    /**
     * Batch {@code b} of {@link #run}, on its own: chains {@code b·batch-size} onwards, each from its own stream, so
     * batches sampled apart (e.g. on other machines) and concatenated in order equal {@link #run} bit for bit.
     *
     * @param total the evaluations of the whole run, for progress (which counts this batch's from {@code b} on)
     */
    public static INDArray batch(ScoreFunction score, Sampler sampler, NoiseSchedule schedule, SampleSettings settings,
                                 long seed, long[] exampleShape, int b, ProgressListener progress, long total) {
        long perBatch = sampler.evaluations(schedule);
        int first = b * settings.batchSize();
        int chains = Math.min(settings.batchSize(), settings.count() - first);
        ChainRandom rng = new ChainRandom(Seeds.derive(seed, "sample"), first, chains);
        long[] shape = new long[exampleShape.length + 1];
        shape[0] = chains;
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        INDArray start = rng.uniform(settings.low(), settings.high(), shape);
        long offset = perBatch * b;
        return sampler.sample(score, schedule, start, rng, (done, t) -> progress.progress(offset + done, total));
    }
}
