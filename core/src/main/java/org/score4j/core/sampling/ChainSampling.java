package org.score4j.core.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.ConditionalScore;
import org.score4j.api.Sampler;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.StepListener;
import org.score4j.api.random.ChainRandom;
import org.score4j.api.random.Seeds;
import org.score4j.core.UserError;
import org.score4j.core.config.SampleSettings;

/**
 * Runs a sampler over {@code count} chains in batches. Chain k draws its start and its noise from its own stream, so the
 * samples do not depend on the batch size; with a class-conditional score, chain k follows the score given its class
 * (one class for all, or k mod C), with classifier-free guidance when a weight is set.
 */
public final class ChainSampling {
    private final ScoreFunction score;
    private final Sampler sampler;
    private final SamplingGrid grid;
    private final SampleSettings settings;
    private final long seed;
    private final long[] exampleShape;

    public ChainSampling(ScoreFunction score, Sampler sampler, SamplingGrid grid, SampleSettings settings, long seed,
                         long[] exampleShape) {
        this.score = Objects.requireNonNull(score, "score");
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.grid = Objects.requireNonNull(grid, "grid");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.seed = seed;
        this.exampleShape = exampleShape.clone();
        if (settings.conditional() && !(score instanceof ConditionalScore c && c.classes() > 0)) {
            throw new UserError("sample.class needs a class-conditional model (train.conditional = true)");
        }
    }

    /** How many batches {@link #run} samples: {@code sample.count} chains, {@code sample.batch-size} at a time. */
    public static int batches(SampleSettings settings) {
        return (settings.count() + settings.batchSize() - 1) / settings.batchSize();
    }

    /** Score evaluations of the whole run (at most, for adaptive samplers), for progress. */
    public long evaluations() {
        return sampler.evaluations(grid) * batches(settings);
    }

    /**
     * All chains, batch after batch.
     *
     * @param listeners the listener of each batch (e.g. a trajectory recorder for batch 0 only)
     */
    public INDArray run(IntFunction<StepListener> listeners) {
        return run(ChainHook.listening(listeners));
    }

    /** All chains, batch after batch, with {@code hook} taking part in each batch (conditioning on observed values). */
    public INDArray run(ChainHook hook) {
        int batches = batches(settings);
        List<INDArray> parts = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            parts.add(batch(b, hook));
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    /**
     * Batch {@code b} of {@link #run}, on its own: chains {@code b·batch-size} onwards, each from its own stream, so
     * batches sampled apart (e.g. on other machines) and concatenated in order equal {@link #run} bit for bit. The
     * listener's evaluation counts are offset by the batches before, so a progress bar over {@link #evaluations()}
     * advances steadily.
     */
    public INDArray batch(int b, StepListener listener) {
        return batch(b, ChainHook.listening(batch -> listener));
    }

    /** As {@link #batch(int, StepListener)}, with {@code hook} taking part. */
    public INDArray batch(int b, ChainHook hook) {
        int first = b * settings.batchSize();
        int chains = Math.min(settings.batchSize(), settings.count() - first);
        ChainRandom rng = new ChainRandom(Seeds.derive(seed, "sample"), first, chains);
        long[] shape = new long[exampleShape.length + 1];
        shape[0] = chains;
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        INDArray start = settings.start().resolve(sampler) == Sampler.Start.PRIOR
                ? rng.normal(shape).muli(grid.largest()) : rng.uniform(settings.low(), settings.high(), shape);
        hook.start(first, start, grid.largest());
        StepListener listener = hook.listener(b, first, chains);
        long offset = sampler.evaluations(grid) * b;
        StepListener shifted = step -> listener.afterStep(new org.score4j.api.SamplerStep(step.step(),
                offset + step.evaluations(), step.sigma(), step.x(), step.denoised()));
        return sampler.sample(scoreFor(first, chains), grid, start, rng, shifted);
    }

    /** The score chains [first, first + n) follow: given their classes (and guided) for conditional samples. */
    private ScoreFunction scoreFor(int first, int n) {
        if (!settings.conditional()) {
            return score;
        }
        ConditionalScore conditional = (ConditionalScore) score;
        int[] labels = labels(settings, first, n, conditional.classes());
        return ConditionalScore.guided(conditional, labels, settings.guidance());
    }

    /** The classes chains [first, first + n) are drawn for under {@code settings} (a class, or each in turn). */
    public static int[] labels(SampleSettings settings, int first, int n, int classes) {
        int[] labels = new int[n];
        for (int k = 0; k < n; k++) {
            labels[k] = settings.classLabel() == SampleSettings.EACH_CLASS ? (first + k) % classes : settings.classLabel();
        }
        return labels;
    }
}
