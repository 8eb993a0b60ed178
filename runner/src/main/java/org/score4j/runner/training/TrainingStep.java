package org.score4j.runner.training;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Dataset;
import org.score4j.api.Loss;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;
import org.score4j.api.ScoreModel;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.random.Seeds;

/**
 * One optimizer step: draw a minibatch, let the objective choose the evaluation points, score them, and
 * back-propagate the objective's gradient. Step t draws its data and noise from streams derived from (seed, t), so
 * the same step of a resumed run sees the same batch. The training loop and the benchmark both run this.
 */
public final class TrainingStep {
    private final Dataset data;
    private final Objective objective;
    private final NoiseSchedule schedule;
    private final int batchSize;
    private final long dataStream;
    private final long objectiveStream;

    public TrainingStep(Dataset data, Objective objective, NoiseSchedule schedule, int batchSize, long seed) {
        this.data = Objects.requireNonNull(data, "data");
        this.objective = Objects.requireNonNull(objective, "objective");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.dataStream = Seeds.derive(seed, "data");
        this.objectiveStream = Seeds.derive(seed, "objective");
    }

    /**
     * The minibatch, the loss and the gradient norm of step {@code step}. When the loss is not finite no gradient is
     * applied and {@link Outcome#applied()} is false.
     *
     * @throws org.score4j.api.NonFiniteException if the model finds its parameter gradient not finite
     */
    public Outcome run(ScoreModel model, long step) {
        INDArray x = data.sample(batchSize, new SeededRandom(Seeds.derive(dataStream, step)));
        Objective.Batch batch = objective.prepare(x, schedule, new SeededRandom(Seeds.derive(objectiveStream, step)));
        INDArray scores = model.forwardForTraining(batch.inputs(), batch.sigmas());
        Loss loss = batch.loss(scores);
        double[] perExample = loss.perExample().toDoubleVector();
        if (!Double.isFinite(loss.mean())) {
            return new Outcome(perExample, batch.levels(), loss.mean(), Double.NaN, false);
        }
        double gradNorm = model.applyGradient(loss.scoreGradient(), batch.levels().length);
        return new Outcome(perExample, batch.levels(), loss.mean(), gradNorm, true);
    }

    /**
     * Shard {@code shard} of {@code shards} of step {@code step} for data-parallel training: its share of the batch
     * ({@link #shardSize}), drawn from streams derived from (seed, step, shard), scored by {@code model}, and the
     * gradient of its summed loss. One shard draws exactly what {@link #run} draws.
     */
    public Shard shard(ScoreModel model, long step, int shard, int shards) {
        long dataSeed = Seeds.derive(dataStream, step);
        long objectiveSeed = Seeds.derive(objectiveStream, step);
        if (shards > 1) {
            dataSeed = Seeds.derive(dataSeed, "shard-" + shard);
            objectiveSeed = Seeds.derive(objectiveSeed, "shard-" + shard);
        }
        INDArray x = data.sample(shardSize(batchSize, shard, shards), new SeededRandom(dataSeed));
        Objective.Batch batch = objective.prepare(x, schedule, new SeededRandom(objectiveSeed));
        INDArray scores = model.forwardForTraining(batch.inputs(), batch.sigmas());
        Loss loss = batch.loss(scores);
        double[] perExample = loss.perExample().toDoubleVector();
        float[] gradient = Double.isFinite(loss.mean()) ? model.parameterGradient(loss.scoreGradient()).toFloatVector() : null;
        return new Shard(perExample, batch.levels(), gradient);
    }

    /** The examples of shard {@code shard} of {@code shards} of a batch: an even split, the first shards one more. */
    public static int shardSize(int batchSize, int shard, int shards) {
        return batchSize / shards + (shard < batchSize % shards ? 1 : 0);
    }

    /**
     * @param perExample each example's loss (the shape of the batch's levels)
     * @param levels     each example's noise level index
     * @param meanLoss   the mean loss over the batch
     * @param gradNorm   the parameter-gradient norm of the mean loss (NaN when not applied)
     * @param applied    whether the optimizer stepped (false when the loss was not finite)
     */
    public record Outcome(double[] perExample, int[] levels, double meanLoss, double gradNorm, boolean applied) {
    }

    /**
     * What a shard of a data-parallel step computes.
     *
     * @param perExample each example's loss
     * @param levels     each example's noise level index
     * @param gradient   ∂(summed loss of the shard)/∂parameters, or null when the loss is not finite
     */
    public record Shard(double[] perExample, int[] levels, float[] gradient) implements java.io.Serializable {
    }

    /** Runs the steps of a training: {@link TrainingStep#run} here, or shards on an engine. */
    @FunctionalInterface
    public interface Runner {
        Outcome run(ScoreModel model, long step);
    }
}
