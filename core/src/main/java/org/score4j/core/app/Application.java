package org.score4j.core.app;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.score4j.core.RunProgress;
import org.score4j.core.UserError;
import org.score4j.core.config.ComponentResolver;
import org.score4j.core.config.ComponentSlot;
import org.score4j.core.config.ConfigDiff;
import org.score4j.core.config.ConfigSources;
import org.score4j.core.config.MemoryBudget;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.engine.Engine;
import org.score4j.core.output.RunDirectory;
import org.score4j.core.plugins.Catalog;
import org.score4j.core.run.RunSteps;
import org.score4j.core.run.Sampled;
import org.score4j.core.run.TrainedModel;
import org.score4j.core.study.Cell;
import org.score4j.core.study.CellOutcome;
import org.score4j.core.study.StudyCells;
import org.score4j.core.study.StudyDefinition;
import org.score4j.core.study.StudyPlan;
import org.score4j.core.study.StudyReport;
import org.score4j.core.study.StudyTable;
import org.score4j.core.training.Checkpoints;
import org.score4j.core.training.TrainingResult;

/**
 * score4j's commands as steps a program can call: train a run, train and sample it, continue it, sample a trained
 * run, run a study. Each takes a resolved configuration (or a run directory), an {@link Engine} for the heavy parts
 * and a {@link RunProgress}, writes the run's directory (locked while it writes) and returns what it did. The command
 * line and the Java API are thin layers over it.
 */
public final class Application {
    private final Catalog catalog;
    private final ComponentResolver resolver;
    private final RunSteps steps;

    public Application(Catalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.resolver = new ComponentResolver(catalog);
        this.steps = new RunSteps(catalog);
    }

    public Catalog catalog() {
        return catalog;
    }

    public RunSteps steps() {
        return steps;
    }

    /**
     * Resolves a user's configuration against the plugins.
     *
     * @throws UserError listing every problem
     */
    public ResolvedRun resolve(Config user) {
        return resolver.resolve(user);
    }

    /** Trains a run into {@code out} and evaluates the trained score (the {@code train} command). */
    public RunResult train(ResolvedRun run, Path out, boolean force, Engine engine, RunProgress progress) {
        try (RunDirectory dir = RunDirectory.create(out, force, "score4j train")) {
            steps.begin(run, dir, "train", null);
            TrainingResult trained = engine.train(run, dir, null, progress);
            return finish(run, dir, trained, null);
        }
    }

    /** Trains a run into {@code out}, samples and evaluates it (the {@code run} command). */
    public RunResult run(ResolvedRun run, Path out, boolean force, Engine engine, RunProgress progress) {
        try (RunDirectory dir = RunDirectory.create(out, force, "score4j run")) {
            steps.begin(run, dir, "run", null);
            TrainingResult trained = engine.train(run, dir, null, progress);
            return finish(run, dir, trained, sample(run, dir, trained, engine, progress));
        }
    }

    /** Continues a run from its newest readable checkpoint and evaluates it ({@code train --resume}). */
    public RunResult resume(Path runDir, List<String> overrides, boolean force, Engine engine, RunProgress progress) {
        try (RunDirectory dir = RunDirectory.existing(runDir, "score4j train --resume")) {
            Resumed r = resumed(runDir, overrides, force, progress);
            steps.begin(r.run(), dir, "train --resume", null);
            TrainingResult trained = engine.train(r.run(), dir, r.from(), progress);
            return finish(r.run(), dir, trained, null);
        }
    }

    /** Continues a run from its newest readable checkpoint, then samples and evaluates it ({@code run --resume}). */
    public RunResult resumeAndSample(Path runDir, List<String> overrides, boolean force, Engine engine,
                                     RunProgress progress) {
        try (RunDirectory dir = RunDirectory.existing(runDir, "score4j run --resume")) {
            Resumed r = resumed(runDir, overrides, force, progress);
            steps.begin(r.run(), dir, "run --resume", null);
            TrainingResult trained = engine.train(r.run(), dir, r.from(), progress);
            return finish(r.run(), dir, trained, sample(r.run(), dir, trained, engine, progress));
        }
    }

    /**
     * Samples a trained run's newest checkpoint ({@code sample --from}): with the configuration stored in the
     * checkpoint (the one it was trained with), overlaid by {@code overrides}, which may change only sampling and
     * evaluation keys. A checkpoint whose training configuration differs from the run directory's {@code config.conf}
     * (one swapped in from another run) is refused, naming the differences, unless {@code force}.
     *
     * @param out where to write (null: {@code from/sample-<sampler>}); the run directory itself puts the files beside
     *            the training run's, prefixed {@code sample-<sampler>.}
     */
    public RunResult sample(Path from, List<String> overrides, Path out, boolean force, Engine engine,
                            RunProgress progress) {
        Config saved = ConfigSources.saved(from);
        Checkpoints.Loaded checkpoint = Checkpoints.newest(from, MemoryBudget.bytes(),
                message -> progress.note("score4j: " + message));
        Config stored = ConfigSources.parse(checkpoint.meta().configText(), checkpoint.file());
        List<String> swapped = ConfigDiff.between(saved, stored, Application::samplingKey);
        if (!swapped.isEmpty() && !force) {
            throw new UserError("checkpoint " + checkpoint.file() + " was not trained with " + from.resolve("config.conf")
                    + " (was it copied in from another run?):\n  " + String.join("\n  ", swapped)
                    + "\nPass --force to sample it anyway, with the configuration it was trained with.");
        }
        ResolvedRun run;
        try {
            run = resolve(ConfigSources.overlay(stored, overrides));
        } catch (UserError e) {
            throw new UserError("sampling " + checkpoint.file() + " with the configuration it holds"
                    + (overrides.isEmpty() ? "" : " and --set " + String.join(" --set ", overrides)) + ": "
                    + e.getMessage(), e.exitCode());
        }
        List<String> changed = RunSteps.differences(checkpoint, run, key -> false);
        if (!changed.isEmpty()) {
            throw new UserError("sample --from samples the model as it was trained; these keys shape the trained model "
                    + "and cannot change here:\n  " + String.join("\n  ", changed)
                    + "\nChange only sampler.*, sample.* and eval.* keys (sample.schedule sets the sampling grid).");
        }
        TrainedModel model = steps.restore(checkpoint);
        if (out == null) {
            out = from.resolve("sample-" + run.name(ComponentSlot.SAMPLER));
        }
        boolean beside = Files.isDirectory(out) && sameFile(out, from);
        try (RunDirectory dir = beside ? RunDirectory.existing(out, "score4j sample")
                : RunDirectory.create(out, force, "score4j sample")) {
            RunDirectory target = beside ? dir.prefixed("sample-" + run.name(ComponentSlot.SAMPLER) + ".") : dir;
            steps.begin(run, target, "sample", checkpoint.sha256());
            Sampled sampled = engine.sample(run, model, progress);
            steps.writeSamples(run, target, sampled);
            Map<String, Object> metrics = steps.evaluate(run, model.model(), sampled, null, target, Map.of());
            return new RunResult(out, run, null, sampled, metrics);
        }
    }

    /**
     * Runs a study into {@code out}: every cell's configuration is checked before anything runs; cells an earlier run
     * finished are reused; the table and figures are written at the end.
     *
     * @return the table, one row per combination of the study's factors
     */
    public StudyTable ablate(StudyDefinition study, Path out, Engine engine, RunProgress progress) {
        List<Cell> cells = study.cells();
        List<ResolvedRun> runs = resolveAll(cells);
        try (RunDirectory dir = RunDirectory.create(out, true, "score4j ablate")) {
            StudyPlan plan = StudyCells.plan(cells, runs, out);
            List<CellOutcome> outcomes = engine.runStudy(plan, progress);
            StudyTable table = new StudyTable(study, outcomes);
            StudyReport.write(study, table, dir);
            return table;
        }
    }

    /** Every cell's configuration, checked before anything runs; all problems reported at once, each with its cells. */
    public List<ResolvedRun> resolveAll(List<Cell> cells) {
        List<ResolvedRun> runs = new ArrayList<>();
        Map<String, List<String>> problems = new LinkedHashMap<>();
        for (Cell cell : cells) {
            try {
                runs.add(resolve(cell.user()));
            } catch (UserError e) {
                problems.computeIfAbsent(e.getMessage(), k -> new ArrayList<>()).add(cell.title());
            }
        }
        if (!problems.isEmpty()) {
            StringBuilder b = new StringBuilder("the study's cells have configuration problems; nothing was run:");
            problems.forEach((message, titles) -> b.append("\n  in ").append(titles.size() == cells.size() ? "every cell"
                    : titles.size() + " cell" + (titles.size() == 1 ? "" : "s") + " (" + titles.get(0)
                    + (titles.size() > 1 ? ", …" : "") + ")").append(": ").append(message.replace("\n", "\n    ")));
            throw new UserError(b.toString());
        }
        return runs;
    }

    private record Resumed(ResolvedRun run, Checkpoints.Loaded from) {
    }

    /**
     * A run to continue: its own configuration with {@code overrides}, and its newest checkpoint. A change to anything
     * that shapes training but {@code train.steps}, or to the data, is refused unless {@code force}.
     */
    private Resumed resumed(Path runDir, List<String> overrides, boolean force, RunProgress progress) {
        ResolvedRun run = resolve(ConfigSources.overlay(ConfigSources.saved(runDir), overrides));
        Checkpoints.Loaded from = Checkpoints.newest(runDir, MemoryBudget.bytes(),
                message -> progress.note("score4j: " + message));
        List<String> changes = RunSteps.differences(from, run, key -> key.equals("train.steps"));
        if (!changes.isEmpty() && !force) {
            throw new UserError("cannot resume " + runDir + " from step " + from.step() + ": it was trained with another "
                    + "configuration or data:\n  " + String.join("\n  ", changes)
                    + "\nPass --force to continue anyway (the run will no longer match an uninterrupted one).");
        }
        if (from.step() >= run.train().steps()) {
            throw new UserError(runDir + " already finished its " + run.train().steps() + " steps (checkpoint at step "
                    + from.step() + "); raise train.steps with --set to train further");
        }
        progress.note("resuming " + runDir + " from " + from.file().getFileName() + " (step " + from.step() + ")");
        return new Resumed(run, from);
    }

    private Sampled sample(ResolvedRun run, RunDirectory dir, TrainingResult trained, Engine engine,
                           RunProgress progress) {
        Sampled sampled = engine.sample(run, new TrainedModel(trained.model(), Checkpoints.list(dir.path()).get(0)),
                progress);
        steps.writeSamples(run, dir, sampled);
        return sampled;
    }

    private RunResult finish(ResolvedRun run, RunDirectory dir, TrainingResult trained, Sampled sampled) {
        Map<String, Object> metrics = steps.evaluate(run, trained.model(), sampled, trained, dir, Map.of());
        return new RunResult(dir.path(), run, trained, sampled, metrics);
    }

    private static boolean samplingKey(String key) {
        return key.startsWith("sampler.") || key.startsWith("sample.") || key.startsWith("eval.");
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
