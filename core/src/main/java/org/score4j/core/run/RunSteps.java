package org.score4j.core.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.NonFiniteException;
import org.score4j.api.ScoreFunction;
import org.score4j.api.StepListener;
import org.score4j.core.RunProgress;
import org.score4j.core.UserError;
import org.score4j.core.config.ConfigDiff;
import org.score4j.core.config.ConfigSources;
import org.score4j.core.config.MemoryBudget;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.evaluation.Evaluation;
import org.score4j.core.evaluation.SampleMetrics;
import org.score4j.core.output.Provenance;
import org.score4j.core.output.RunDirectory;
import org.score4j.core.plots.Plots;
import org.score4j.core.plugins.Catalog;
import org.score4j.core.sampling.ChainSampling;
import org.score4j.core.sampling.Trajectory;
import org.score4j.core.training.Checkpoints;
import org.score4j.core.training.Models;
import org.score4j.core.training.Trainer;
import org.score4j.core.training.TrainingResult;

/**
 * The steps a run is made of, each on its own, in this process: begin a run directory (its configuration and
 * provenance), train, sample, write the samples, evaluate. Commands, study cells and engines' tasks compose them.
 */
public final class RunSteps {
    private final Catalog catalog;

    public RunSteps(Catalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    public Catalog catalog() {
        return catalog;
    }

    /**
     * Writes the run's {@code config.conf} and {@code provenance.json}.
     *
     * @param checkpointSha256 the checkpoint a sampling run reads, or null
     */
    public void begin(ResolvedRun run, RunDirectory dir, String command, String checkpointSha256) {
        dir.writeText("config.conf", configFileText(run));
        dir.writeJson("provenance.json", Provenance.of(run, catalog, command, checkpointSha256));
    }

    /** What {@code config.conf} of a run holds. */
    public static String configFileText(ResolvedRun run) {
        return "# The resolved configuration of this run; rerun it with: score4j run -c config.conf\n" + run.rendered();
    }

    /** Trains in this process (continuing {@code resume} when it is not null). */
    public TrainingResult train(ResolvedRun run, RunDirectory dir, Checkpoints.Loaded resume, RunProgress progress) {
        return new Trainer(run, dir).train(progress, resume, null);
    }

    /** Samples {@code score} in this process, recording a trajectory of the first chains for image runs. */
    public static Sampled sample(ResolvedRun run, ScoreFunction score, RunProgress progress) {
        long t0 = System.nanoTime();
        ChainSampling chains = new ChainSampling(score, run.sampler(), run.grid(), run.sample(), run.seed(),
                run.data().exampleShape());
        Trajectory trajectory = Trajectory.drawn(run) ? Trajectory.of(run) : null;
        long total = chains.evaluations();
        StepListener bar = step -> progress.progress("sample", Math.min(step.evaluations(), total), total, null);
        try {
            INDArray samples = chains.run(b -> b == 0 && trajectory != null ? bar.andThen(trajectory) : bar);
            progress.progress("sample", total, total, null);
            return new Sampled(samples, trajectory == null ? List.of() : trajectory.snapshots(),
                    (System.nanoTime() - t0) / 1e9);
        } catch (NonFiniteException e) {
            throw new UserError("sampling failed: " + e.getMessage(), UserError.FAILED);
        }
    }

    /** Writes {@code samples.csv} (and {@code trajectory.png} for image runs with a trajectory). */
    public void writeSamples(ResolvedRun run, RunDirectory dir, Sampled sampled) {
        INDArray path = Trajectory.grid(sampled.trajectory(), sampled.samples());
        if (path != null && run.eval().plots()) {
            Path file = dir.file("trajectory.png");
            try {
                Plots.imageGrid(file, path, sampled.trajectory().size() + 1, 2);
            } catch (IOException e) {
                throw UserError.io("draw", file, e);
            }
        }
        double[][] s = SampleMetrics.points(sampled.samples());
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < s[0].length; j++) {
            b.append(j == 0 ? "" : ",").append("x").append(j + 1);
        }
        b.append('\n');
        for (double[] row : s) {
            for (int j = 0; j < row.length; j++) {
                b.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6g", row[j]));
            }
            b.append('\n');
        }
        dir.writeText("samples.csv", b.toString());
    }

    /**
     * Measures the run and writes {@code metrics.json}: {@code inherited} entries first (e.g. the training figures of
     * the model a study cell samples), then the evaluation's.
     *
     * @param sampled  the samples, or null for a run that only trained
     * @param training the training result, or null for a run that only sampled
     */
    public Map<String, Object> evaluate(ResolvedRun run, ScoreFunction score, Sampled sampled, TrainingResult training,
                                        RunDirectory dir, Map<String, Object> inherited, RunProgress progress) {
        Map<String, Object> metrics = new LinkedHashMap<>(inherited);
        metrics.putAll(Evaluation.evaluate(run, score, sampled == null ? null : sampled.samples(), training,
                sampled == null ? 0 : sampled.seconds(), dir, progress));
        dir.writeJson("metrics.json", metrics);
        return metrics;
    }

    /**
     * The newest readable checkpoint of a run directory, which must hold a model trained with {@code run}'s training
     * configuration and data.
     *
     * @throws UserError if there is none, or it was trained with another configuration or data (naming the
     *                   differences) and {@code force} is false
     */
    public static Checkpoints.Loaded checkpoint(Path runDir, ResolvedRun run, boolean force, RunProgress progress) {
        Checkpoints.Loaded loaded = Checkpoints.newest(runDir, MemoryBudget.bytes(),
                message -> progress.note("score4j: " + message));
        List<String> changes = differences(loaded, run, key -> false);
        if (!changes.isEmpty() && !force) {
            throw new UserError("checkpoint " + loaded.file() + " was trained with another configuration or data than "
                    + "this run:\n  " + String.join("\n  ", changes) + "\nPass --force to use it anyway.");
        }
        return loaded;
    }

    /**
     * How a checkpoint's training configuration and data differ from {@code run}'s, key by key.
     *
     * @param allowed training keys that may differ (e.g. {@code train.steps} for a resumed run)
     */
    public static List<String> differences(Checkpoints.Loaded loaded, ResolvedRun run,
                                           java.util.function.Predicate<String> allowed) {
        if (loaded.meta().trainingConfigHash().equals(run.trainingConfigHash())
                && loaded.meta().dataFingerprint().equals(run.data().fingerprint())) {
            return List.of();
        }
        List<String> changes = new java.util.ArrayList<>(ConfigDiff.between(
                ConfigSources.parse(loaded.meta().configText(), loaded.file()), run.resolved(),
                key -> key.startsWith("sampler.") || key.startsWith("sample.") || key.startsWith("eval.")
                        || allowed.test(key)));
        if (!loaded.meta().dataFingerprint().equals(run.data().fingerprint())) {
            changes.add("the data: fingerprint " + abbreviate(loaded.meta().dataFingerprint()) + " → "
                    + abbreviate(run.data().fingerprint()));
        }
        return changes;
    }

    /** The model a checkpoint holds, restored from the checkpoint's own model configuration. */
    public TrainedModel restore(Checkpoints.Loaded checkpoint) {
        return new TrainedModel(Models.restore(checkpoint, catalog), checkpoint.file());
    }

    private static String abbreviate(String fingerprint) {
        return fingerprint.length() > 12 ? fingerprint.substring(0, 12) + "…" : fingerprint;
    }
}
