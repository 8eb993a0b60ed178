package org.score4j.runner.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Loss;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.NonFiniteException;
import org.score4j.api.Objective;
import org.score4j.api.ScoreModel;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.random.Seeds;
import org.score4j.api.spi.ModelSpec;
import org.score4j.runner.ComponentKind;
import org.score4j.runner.ProgressBar;
import org.score4j.runner.UserError;
import org.score4j.runner.config.TrainSettings;
import org.score4j.runner.wiring.ResolvedRun;

/**
 * The training loop: draw a minibatch, let the objective choose the evaluation points, score them,
 * back-propagate the objective's gradient, log the loss per level, checkpoint. A non-finite loss or
 * gradient stops the run at that step; the last checkpoint written stays as it was.
 */
public final class Trainer {
    private static final int SCALE_SAMPLES = 10_000;

    private final ResolvedRun run;
    private final Path directory;
    private final String configHash;

    public Trainer(ResolvedRun run, Path directory, String configHash) {
        this.run = Objects.requireNonNull(run, "run");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.configHash = Objects.requireNonNull(configHash, "configHash");
    }

    /** The data's standard deviation over all coordinates, from a fixed sample. */
    public static double dataScale(ResolvedRun run) {
        INDArray x = run.data().sample(SCALE_SAMPLES, new SeededRandom(Seeds.derive(run.seed(), "scale")));
        double std = x.stdNumber().doubleValue();
        return std > 0 && Double.isFinite(std) ? std : 1;
    }

    public TrainingResult train(ProgressBar progress) {
        TrainSettings t = run.train();
        NoiseSchedule schedule = run.schedule();
        double scale = dataScale(run);
        ScoreModel model = run.model().build(new ModelSpec(run.data().exampleShape(), scale, t.optimizer(),
                Seeds.derive(run.seed(), "init")));
        SeededRandom dataRng = new SeededRandom(Seeds.derive(run.seed(), "data"));
        SeededRandom objectiveRng = new SeededRandom(Seeds.derive(run.seed(), "objective"));
        Objective objective = run.objective();
        int levels = schedule.size();
        double[] windowSum = new double[levels];
        long[] windowCount = new long[levels];
        double[] tailSum = new double[levels];
        long[] tailCount = new long[levels];
        double lossSum = 0;
        double tailLoss = 0;
        long tailSteps = 0;
        double gradNorm = 0;
        long tailStart = t.steps() - Math.max(1, t.steps() / 10);
        long lastCheckpoint = 0;
        long started = System.nanoTime();
        try (TrainingLog log = new TrainingLog(directory.resolve("train-log.csv"), schedule.sigmas())) {
            for (int step = 1; step <= t.steps(); step++) {
                INDArray x = run.data().sample(t.batchSize(), dataRng);
                Objective.Batch batch = objective.prepare(x, schedule, objectiveRng);
                INDArray scores = model.forwardForTraining(batch.inputs(), batch.sigmas());
                Loss loss = batch.loss(scores);
                if (!Double.isFinite(loss.mean())) {
                    throw diverged(step, "the loss is " + loss.mean() + " at " + firstBadLevel(loss, batch), lastCheckpoint);
                }
                try {
                    gradNorm = model.applyGradient(loss.scoreGradient(), batch.levels().length);
                } catch (NonFiniteException e) {
                    throw diverged(step, e.getMessage(), lastCheckpoint);
                }
                double[] per = loss.perExample().toDoubleVector();
                int[] lv = batch.levels();
                for (int i = 0; i < per.length; i++) {
                    windowSum[lv[i]] += per[i];
                    windowCount[lv[i]]++;
                    if (step > tailStart) {
                        tailSum[lv[i]] += per[i];
                        tailCount[lv[i]]++;
                    }
                }
                lossSum += loss.mean();
                if (step > tailStart) {
                    tailLoss += loss.mean();
                    tailSteps++;
                }
                if (step % t.logEvery() == 0 || step == t.steps()) {
                    int n = step % t.logEvery() == 0 ? t.logEvery() : step % t.logEvery();
                    double[] means = new double[levels];
                    for (int i = 0; i < levels; i++) {
                        means[i] = windowCount[i] == 0 ? Double.NaN : windowSum[i] / windowCount[i];
                    }
                    log.append(new TrainingLog.Row(step, lossSum / n, means, gradNorm, (System.nanoTime() - started) / 1e9));
                    progress.status(String.format(java.util.Locale.ROOT, "loss %.4f", lossSum / n));
                    java.util.Arrays.fill(windowSum, 0);
                    java.util.Arrays.fill(windowCount, 0);
                    lossSum = 0;
                }
                if (step % t.checkpointEvery() == 0 || step == t.steps()) {
                    Checkpoints.write(directory, model, run.names().get(ComponentKind.MODEL), step, configHash);
                    lastCheckpoint = step;
                }
                progress.progress(step, t.steps());
            }
            double[] levelLoss = new double[levels];
            for (int i = 0; i < levels; i++) {
                levelLoss[i] = tailCount[i] == 0 ? Double.NaN : tailSum[i] / tailCount[i];
            }
            return new TrainingResult(model, t.steps(), (System.nanoTime() - started) / 1e9, tailLoss / tailSteps,
                    levelLoss, log.rows(), scale);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint in " + directory, e);
        }
    }

    private UserError diverged(int step, String what, long lastCheckpoint) {
        String kept = lastCheckpoint > 0
                ? "the last good checkpoint (step " + lastCheckpoint + ") is kept at " + directory.resolve(Checkpoints.FILE)
                : "no checkpoint had been written yet";
        return new UserError("training diverged at step " + step + " (objective " + run.names().get(ComponentKind.OBJECTIVE)
                + ", model " + run.names().get(ComponentKind.MODEL) + "): " + what + "; " + kept
                + ". Try a smaller train.learning-rate or set train.clip-norm.", UserError.FAILED);
    }

    private String firstBadLevel(Loss loss, Objective.Batch batch) {
        double[] per = loss.perExample().toDoubleVector();
        for (int i = 0; i < per.length; i++) {
            if (!Double.isFinite(per[i])) {
                return "level " + batch.levels()[i] + " (σ = " + run.schedule().sigma(batch.levels()[i]) + ")";
            }
        }
        return "an unknown level";
    }
}
