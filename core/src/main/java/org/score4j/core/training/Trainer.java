package org.score4j.core.training;

import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.NonFiniteException;
import org.score4j.api.ScoreModel;
import org.score4j.api.spi.ModelSpec;
import org.score4j.core.RunProgress;
import org.score4j.core.UserError;
import org.score4j.core.config.ComponentSlot;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.config.TrainSettings;
import org.score4j.core.output.RunDirectory;

/**
 * The training loop, the same for every model: each step's gradient from a {@link TrainingStep}, one optimizer step on
 * the runner's {@link TrainingState}, the loss logged per σ bin, checkpoints. Step t draws its data and noise from
 * streams derived from (seed, t), so a run resumed from a checkpoint continues exactly as the uninterrupted run would.
 * A non-finite loss or gradient stops the run at that step; the checkpoints written stay as they were.
 */
public final class Trainer {
    private final ResolvedRun run;
    private final RunDirectory directory;

    public Trainer(ResolvedRun run, RunDirectory directory) {
        this.run = Objects.requireNonNull(run, "run");
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** Trains from scratch in this process. */
    public TrainingResult train(RunProgress progress) {
        return train(progress, null, null);
    }

    /**
     * Trains, continuing from {@code resume} when it is not null, with each step run by {@code steps} (null: a whole
     * {@link TrainingStep} in this process).
     *
     * @param resume a checkpoint of this run, or null to start afresh
     */
    public TrainingResult train(RunProgress progress, Checkpoints.Loaded resume, TrainingStep.Runner steps) {
        TrainSettings t = run.train();
        SigmaBins bins = new SigmaBins(run.schedule().sigmas());
        ModelSpec spec = resume == null ? Models.spec(run, Models.dataScale(run)) : resume.meta().spec();
        ScoreModel model = Models.build(run, spec);
        TrainingState state;
        TrainingProgress stats;
        long first;
        TrainingLog log;
        directory.recordFile(directory.resolve("train-log.csv"));
        if (resume == null) {
            state = TrainingState.fresh(model.parameters(), run.optimizer(), t.emaRate() > 0);
            stats = new TrainingProgress(bins.size(), t.steps());
            first = 1;
            log = new TrainingLog(directory.resolve("train-log.csv"), bins.centres());
        } else {
            state = resume.state().copy();
            if (state.size() != model.parameterCount()) {
                throw new UserError("checkpoint " + resume.file() + " holds " + state.size() + " parameters; the model "
                        + "of this configuration has " + model.parameterCount());
            }
            try {
                stats = TrainingProgress.restore(resume.training(), bins.size(), t.steps());
            } catch (IllegalArgumentException e) {
                throw new UserError("checkpoint " + resume.file() + ": " + e.getMessage());
            }
            first = resume.step() + 1;
            log = TrainingLog.resume(directory.resolve("train-log.csv"), bins.centres(), resume.step());
        }
        TrainingStep.Runner runner = steps != null ? steps : local();
        String dataFingerprint = run.data().fingerprint();
        long lastCheckpoint = resume == null ? 0 : resume.step();
        long started = System.nanoTime();
        progress.progress("train", first - 1, t.steps(), null);
        try (log) {
            for (long step = first; step <= t.steps(); step++) {
                TrainingStep.Outcome outcome;
                try {
                    outcome = runner.run(model, state, step);
                } catch (NonFiniteException e) {
                    throw diverged(step, e.getMessage(), lastCheckpoint);
                }
                if (!outcome.applied()) {
                    throw diverged(step, "the loss is " + outcome.meanLoss() + " at " + firstBad(outcome), lastCheckpoint);
                }
                stats.record(step, outcome.perExample(), bins.of(outcome.sigmas()), outcome.meanLoss(), outcome.gradNorm());
                double elapsed = stats.secondsBefore() + (System.nanoTime() - started) / 1e9;
                String status = null;
                if (step % t.logEvery() == 0 || step == t.steps()) {
                    long n = step % t.logEvery() == 0 ? t.logEvery() : step % t.logEvery();
                    TrainingLog.Row row = stats.closeWindow(step, n, elapsed);
                    log.append(row);
                    status = String.format(Locale.ROOT, "loss %.4f", row.loss());
                }
                if (step % t.checkpointEvery() == 0 || step == t.steps()) {
                    Properties saved = new Properties();
                    stats.save(saved, elapsed);
                    Checkpoints.write(directory, new Checkpoints.Meta(run.name(ComponentSlot.MODEL),
                            run.sectionText(ComponentSlot.MODEL), spec, step, run.configHash(), run.trainingConfigHash(),
                            run.rendered(), dataFingerprint, run.name(ComponentSlot.OPTIMIZER)), state, saved,
                            t.keepCheckpoints());
                    lastCheckpoint = step;
                }
                progress.progress("train", step, t.steps(), status);
            }
        } catch (IOException e) {
            throw UserError.io("write a checkpoint in", directory.resolve(Checkpoints.DIRECTORY), e);
        }
        model.setParameters(state.scoring());
        return new TrainingResult(model, state, spec, t.steps(), stats.secondsBefore() + (System.nanoTime() - started) / 1e9,
                stats.finalLoss(), stats.finalLevelLoss(), bins.centres(), log.rows());
    }

    /** Whole steps in this process: set θ, compute the gradient, take the optimizer step. */
    private TrainingStep.Runner local() {
        TrainingStep step = new TrainingStep(run);
        TrainSettings t = run.train();
        INDArray[] gradient = {null};
        return (model, state, number) -> {
            if (gradient[0] == null) {
                gradient[0] = Nd4j.create(DataType.FLOAT, state.size());
            }
            model.setParameters(state.parameters());
            TrainingStep.Computed c = step.compute(model, number, 0, 1, gradient[0]);
            if (!c.finite()) {
                return new TrainingStep.Outcome(c.perExample(), c.sigmas(), c.meanLoss(), Double.NaN, false);
            }
            double norm = state.apply(gradient[0], c.examples(), run.optimizer(), run.lrSchedule(), t.steps(),
                    t.clipNorm(), t.emaRate());
            return new TrainingStep.Outcome(c.perExample(), c.sigmas(), c.meanLoss(), norm, true);
        };
    }

    private UserError diverged(long step, String what, long lastCheckpoint) {
        String kept = lastCheckpoint > 0
                ? "the last good checkpoint (step " + lastCheckpoint + ") is kept in " + directory.resolve(Checkpoints.DIRECTORY)
                : "no checkpoint had been written yet";
        return new UserError("training diverged at step " + step + " (objective " + run.name(ComponentSlot.OBJECTIVE)
                + ", model " + run.name(ComponentSlot.MODEL) + ", optimizer " + run.name(ComponentSlot.OPTIMIZER) + "): "
                + what + "; " + kept + ". Try a smaller optimizer.learning-rate or set train.clip-norm.", UserError.FAILED);
    }

    private static String firstBad(TrainingStep.Outcome outcome) {
        double[] per = outcome.perExample();
        for (int i = 0; i < per.length; i++) {
            if (!Double.isFinite(per[i])) {
                return "σ = " + String.format(Locale.ROOT, "%.4g", outcome.sigmas()[i]);
            }
        }
        return "an unknown σ";
    }
}
