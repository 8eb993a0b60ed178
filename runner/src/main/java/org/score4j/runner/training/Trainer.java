package org.score4j.runner.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.NonFiniteException;
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
 * The training loop: run each {@link TrainingStep}, log the loss per level, checkpoint. Step t draws its data
 * and noise from streams derived from (seed, t), so a run resumed from a checkpoint continues exactly
 * as the uninterrupted run would. A non-finite loss or gradient stops the run at that step; the
 * checkpoints written stay as they were.
 */
public final class Trainer {
    private static final int SCALE_SAMPLES = 10_000;

    private final ResolvedRun run;
    private final Path directory;
    private final String configHash;
    private final String configText;

    /**
     * @param configText the resolved configuration, stored in each checkpoint so a resume can say what changed
     */
    public Trainer(ResolvedRun run, Path directory, String configHash, String configText) {
        this.run = Objects.requireNonNull(run, "run");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.configHash = Objects.requireNonNull(configHash, "configHash");
        this.configText = Objects.requireNonNull(configText, "configText");
    }

    /** The data's standard deviation over all coordinates, from a fixed sample. */
    public static double dataScale(ResolvedRun run) {
        INDArray x = run.data().sample(SCALE_SAMPLES, new SeededRandom(Seeds.derive(run.seed(), "scale")));
        double std = x.stdNumber().doubleValue();
        return std > 0 && Double.isFinite(std) ? std : 1;
    }

    /** A freshly initialised model for the run, as training starts it ({@code scale} from {@link #dataScale}). */
    public static ScoreModel newModel(ResolvedRun run, double scale) {
        return run.model().build(new ModelSpec(run.data().exampleShape(), scale, run.train().optimizer(),
                Seeds.derive(run.seed(), "init")));
    }

    /** Trains from scratch. */
    public TrainingResult train(ProgressBar progress) {
        return train(progress, null);
    }

    /**
     * Trains, continuing from {@code resume} when it is not null.
     *
     * @param resume a checkpoint of this run (its model, step and statistics), or null to start afresh
     */
    public TrainingResult train(ProgressBar progress, Checkpoints.Loaded resume) {
        return train(progress, resume, null);
    }

    /**
     * Trains, continuing from {@code resume} when it is not null, with each step run by {@code steps} (null: a
     * {@link TrainingStep} in this process).
     */
    public TrainingResult train(ProgressBar progress, Checkpoints.Loaded resume, TrainingStep.Runner steps) {
        TrainSettings t = run.train();
        NoiseSchedule schedule = run.schedule();
        double scale = dataScale(run);
        ScoreModel model;
        TrainingProgress stats;
        long first;
        TrainingLog log;
        if (resume == null) {
            model = newModel(run, scale);
            stats = new TrainingProgress(schedule.size(), t.steps());
            first = 1;
            log = new TrainingLog(directory.resolve("train-log.csv"), schedule.sigmas());
        } else {
            model = resume.model();
            try {
                stats = TrainingProgress.restore(resume.training(), schedule.size(), t.steps());
            } catch (IllegalArgumentException e) {
                throw new UserError("checkpoint " + resume.file() + ": " + e.getMessage());
            }
            first = resume.step() + 1;
            log = TrainingLog.resume(directory.resolve("train-log.csv"), schedule.sigmas(), resume.step());
        }
        TrainingStep.Runner trainingStep = steps != null ? steps
                : new TrainingStep(run.data(), run.objective(), schedule, t.batchSize(), run.seed())::run;
        String dataFingerprint = run.data().fingerprint();
        long lastCheckpoint = resume == null ? 0 : resume.step();
        long started = System.nanoTime();
        try (log) {
            for (long step = first; step <= t.steps(); step++) {
                TrainingStep.Outcome outcome;
                try {
                    outcome = trainingStep.run(model, step);
                } catch (NonFiniteException e) {
                    throw diverged(step, e.getMessage(), lastCheckpoint);
                }
                if (!outcome.applied()) {
                    throw diverged(step, "the loss is " + outcome.meanLoss() + " at " + firstBadLevel(outcome), lastCheckpoint);
                }
                stats.record(step, outcome.perExample(), outcome.levels(), outcome.meanLoss(), outcome.gradNorm());
                double elapsed = stats.secondsBefore() + (System.nanoTime() - started) / 1e9;
                if (step % t.logEvery() == 0 || step == t.steps()) {
                    long n = step % t.logEvery() == 0 ? t.logEvery() : step % t.logEvery();
                    TrainingLog.Row row = stats.closeWindow(step, n, elapsed);
                    log.append(row);
                    progress.status(String.format(Locale.ROOT, "loss %.4f", row.loss()));
                }
                if (step % t.checkpointEvery() == 0 || step == t.steps()) {
                    Properties saved = new Properties();
                    stats.save(saved, elapsed);
                    Checkpoints.write(directory, model, new Checkpoints.Meta(run.names().get(ComponentKind.MODEL), step,
                            configHash, configText, dataFingerprint), saved, t.keepCheckpoints());
                    lastCheckpoint = step;
                }
                progress.progress(step, t.steps());
            }
            return new TrainingResult(model, t.steps(), stats.secondsBefore() + (System.nanoTime() - started) / 1e9,
                    stats.finalLoss(), stats.finalLevelLoss(), log.rows(), scale);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint in " + directory, e);
        }
    }

    private UserError diverged(long step, String what, long lastCheckpoint) {
        String kept = lastCheckpoint > 0
                ? "the last good checkpoint (step " + lastCheckpoint + ") is kept in " + directory.resolve(Checkpoints.DIRECTORY)
                : "no checkpoint had been written yet";
        return new UserError("training diverged at step " + step + " (objective " + run.names().get(ComponentKind.OBJECTIVE)
                + ", model " + run.names().get(ComponentKind.MODEL) + "): " + what + "; " + kept
                + ". Try a smaller train.learning-rate or set train.clip-norm.", UserError.FAILED);
    }

    private String firstBadLevel(TrainingStep.Outcome outcome) {
        double[] per = outcome.perExample();
        for (int i = 0; i < per.length; i++) {
            if (!Double.isFinite(per[i])) {
                return "level " + outcome.levels()[i] + " (σ = " + run.schedule().sigma(outcome.levels()[i]) + ")";
            }
        }
        return "an unknown level";
    }
}
