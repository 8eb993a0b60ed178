package org.score4j.core.training;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.ConditionalScore;
import org.score4j.api.Dataset;
import org.score4j.api.LabelledDataset;
import org.score4j.api.Loss;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;
import org.score4j.api.ScoreModel;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.random.Seeds;
import org.score4j.core.config.ResolvedRun;

/**
 * One step's gradient: draw a minibatch (with its labels for a conditional model, some dropped), let the objective
 * choose the evaluation points, score them in training mode, and back-propagate the objective's gradient into a flat
 * parameter gradient. Step t draws its data, noise and label dropout from streams derived from (seed, t), so the same
 * step of a resumed run sees the same batch; shards of a data-parallel step draw from (seed, t, shard).
 */
public final class TrainingStep {
    private final Dataset data;
    private final Objective objective;
    private final NoiseSchedule schedule;
    private final int batchSize;
    private final int classes;
    private final double labelDropout;
    private final long dataStream;
    private final long objectiveStream;
    private final long labelStream;

    public TrainingStep(ResolvedRun run) {
        this(run.data(), run.objective(), run.schedule(), run.train().batchSize(), run.seed(), run.classes(),
                run.train().labelDropout());
    }

    public TrainingStep(Dataset data, Objective objective, NoiseSchedule schedule, int batchSize, long seed, int classes,
                        double labelDropout) {
        this.data = Objects.requireNonNull(data, "data");
        this.objective = Objects.requireNonNull(objective, "objective");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (classes > 0 && !(data instanceof LabelledDataset)) {
            throw new IllegalArgumentException("a conditional model needs a labelled data set");
        }
        this.batchSize = batchSize;
        this.classes = classes;
        this.labelDropout = labelDropout;
        this.dataStream = Seeds.derive(seed, "data");
        this.objectiveStream = Seeds.derive(seed, "objective");
        this.labelStream = Seeds.derive(seed, "label-dropout");
    }

    /**
     * What one step (or one shard of it) computed.
     *
     * @param perExample each example's loss
     * @param sigmas     each example's noise level
     * @param meanLoss   the mean over the examples
     * @param finite     whether the loss was finite; the gradient was computed only then
     */
    public record Computed(double[] perExample, double[] sigmas, double meanLoss, boolean finite) {
        public int examples() {
            return perExample.length;
        }
    }

    /**
     * Shard {@code shard} of {@code shards} of step {@code step}: its share of the batch ({@link #shardSize}) scored by
     * {@code model} with its current parameters, and ∂(summed loss)/∂θ written into {@code gradient} when the loss is
     * finite. One shard draws exactly what a whole step draws.
     */
    public Computed compute(ScoreModel model, long step, int shard, int shards, INDArray gradient) {
        long dataSeed = Seeds.derive(dataStream, step);
        long objectiveSeed = Seeds.derive(objectiveStream, step);
        long labelSeed = Seeds.derive(labelStream, step);
        if (shards > 1) {
            dataSeed = Seeds.derive(dataSeed, "shard-" + shard);
            objectiveSeed = Seeds.derive(objectiveSeed, "shard-" + shard);
            labelSeed = Seeds.derive(labelSeed, "shard-" + shard);
        }
        int n = shardSize(batchSize, shard, shards);
        INDArray x;
        int[] labels = null;
        if (classes > 0) {
            Dataset.Labelled drawn = ((LabelledDataset) data).sampleLabelled(n, new SeededRandom(dataSeed));
            x = drawn.examples();
            labels = drawn.labels();
            if (labelDropout > 0) {
                float[] u = new SeededRandom(labelSeed).uniformValues(0, 1, n);
                for (int i = 0; i < n; i++) {
                    if (u[i] < labelDropout) {
                        labels[i] = ConditionalScore.UNCONDITIONAL;
                    }
                }
            }
        } else {
            x = data.sample(n, new SeededRandom(dataSeed));
        }
        Objective.Batch batch = objective.prepare(x, schedule, new SeededRandom(objectiveSeed));
        int[] rowLabels = null;
        if (labels != null) {
            int[] rows = batch.rowExamples();
            rowLabels = new int[rows.length];
            for (int r = 0; r < rows.length; r++) {
                rowLabels[r] = labels[rows[r]];
            }
        }
        ScoreModel.TrainingPass pass = model.forward(batch.inputs(), batch.sigmas(), rowLabels);
        Loss loss = batch.loss(pass.scores());
        double[] perExample = loss.perExample().toDoubleVector();
        boolean finite = Double.isFinite(loss.mean());
        if (finite) {
            pass.backward(loss.scoreGradient(), gradient);
        }
        return new Computed(perExample, batch.exampleSigmas(), loss.mean(), finite);
    }

    /** The examples of shard {@code shard} of {@code shards} of a batch: an even split, the first shards one more. */
    public static int shardSize(int batchSize, int shard, int shards) {
        return batchSize / shards + (shard < batchSize % shards ? 1 : 0);
    }

    /**
     * What a whole step did.
     *
     * @param perExample each example's loss
     * @param sigmas     each example's noise level
     * @param meanLoss   the mean loss over the batch
     * @param gradNorm   the parameter-gradient norm of the mean loss (NaN when not applied)
     * @param applied    whether the optimizer stepped (false when the loss was not finite)
     */
    public record Outcome(double[] perExample, double[] sigmas, double meanLoss, double gradNorm, boolean applied) {
    }

    /** Runs the steps of a training: a whole step here, or shards on an engine. */
    @FunctionalInterface
    public interface Runner {
        Outcome run(ScoreModel model, TrainingState state, long step);
    }
}
