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
        if (!Double.isFinite(loss.mean())) {
            return new Outcome(batch, loss, Double.NaN, false);
        }
        double gradNorm = model.applyGradient(loss.scoreGradient(), batch.levels().length);
        return new Outcome(batch, loss, gradNorm, true);
    }

    /**
     * @param gradNorm the parameter-gradient norm of the mean loss (NaN when not applied)
     * @param applied  whether the optimizer stepped (false when the loss was not finite)
     */
    public record Outcome(Objective.Batch batch, Loss loss, double gradNorm, boolean applied) {
    }
}
