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
            return finish(run, dir, trained, null, progress);
        }
    }

    /** Trains a run into {@code out}, samples and evaluates it (the {@code run} command). */
    public RunResult run(ResolvedRun run, Path out, boolean force, Engine engine, RunProgress progress) {
        try (RunDirectory dir = RunDirectory.create(out, force, "score4j run")) {
            steps.begin(run, dir, "run", null);
            TrainingResult trained = engine.train(run, dir, null, progress);
            return finish(run, dir, trained, sample(run, dir, trained, engine, progress), progress);
        }
    }

    /** Continues a run from its newest readable checkpoint and evaluates it ({@code train --resume}). */
    public RunResult resume(Path runDir, List<String> overrides, boolean force, Engine engine, RunProgress progress) {
        try (RunDirectory dir = RunDirectory.existing(runDir, "score4j train --resume")) {
            Resumed r = resumed(runDir, overrides, force, progress);
            steps.begin(r.run(), dir, "train --resume", null);
            TrainingResult trained = engine.train(r.run(), dir, r.from(), progress);
            return finish(r.run(), dir, trained, null, progress);
        }
    }

    /** Continues a run from its newest readable checkpoint, then samples and evaluates it ({@code run --resume}). */
    public RunResult resumeAndSample(Path runDir, List<String> overrides, boolean force, Engine engine,
                                     RunProgress progress) {
        try (RunDirectory dir = RunDirectory.existing(runDir, "score4j run --resume")) {
            Resumed r = resumed(runDir, overrides, force, progress);
            steps.begin(r.run(), dir, "run --resume", null);
            TrainingResult trained = engine.train(r.run(), dir, r.from(), progress);
            return finish(r.run(), dir, trained, sample(r.run(), dir, trained, engine, progress), progress);
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
        Trained t = trained(from, overrides, force, progress);
        ResolvedRun run = t.run();
        Checkpoints.Loaded checkpoint = t.checkpoint();
        TrainedModel model = t.model();
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
            Map<String, Object> metrics = steps.evaluate(run, model.model(), sampled, null, target, Map.of(), progress);
            return new RunResult(out, run, null, sampled, metrics);
        }
    }

    /**
     * Fills the empty or NaN cells of a CSV file with a trained run's model ({@code score4j impute}): each row's given
     * cells held fixed while the run's sampler fills the others, {@code draws} chains per row averaged. Writes
     * {@code imputed.csv} (the input's columns, every cell filled), the configuration, provenance and
     * {@code metrics.json} into {@code out}; with {@code evaluate} &gt; 0 also hides that share of the cells of the data
     * set's held-out rows (or of the input's complete rows) and compares the model with mean and nearest-neighbour
     * imputation.
     */
    public RunResult impute(Path from, List<String> overrides, Path input, Path out, boolean force, int draws,
                            double evaluate, Engine engine, RunProgress progress) {
        Trained t = trained(from, overrides, force, progress);
        org.score4j.api.io.CsvTable table;
        try {
            table = org.score4j.api.io.CsvTable.read(input, "", true);
        } catch (org.score4j.api.io.MalformedTableException e) {
            throw new UserError(e.getMessage());
        }
        long[] shape = t.run().data().exampleShape();
        if (shape.length != 1 || shape[0] != table.width()) {
            throw new UserError(input + " has " + table.width() + " columns, but the run " + from + " was trained on "
                    + "examples of shape " + java.util.Arrays.toString(shape));
        }
        org.nd4j.linalg.api.ndarray.INDArray rows = org.score4j.api.tensors.Tensors.array(
                java.util.Arrays.stream(table.rows()).flatMapToDouble(java.util.Arrays::stream).toArray(),
                org.nd4j.linalg.api.buffer.DataType.FLOAT, table.rows().length, table.width());
        Path target = out != null ? out : from.resolve("impute-" + input.getFileName().toString().replaceAll("\\.csv$", ""));
        try (RunDirectory dir = RunDirectory.create(target, force, "score4j impute")) {
            steps.begin(t.run(), dir, "impute", t.checkpoint().sha256());
            org.score4j.core.conditional.Imputation.Result r = org.score4j.core.conditional.Imputation.fill(t.run(),
                    t.model().model(), rows, org.score4j.core.conditional.Masks.given(rows), draws, progress);
            dir.writeText("imputed.csv", table.render(r.filled().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                    .toDoubleMatrix()));
            Map<String, Object> metrics = new LinkedHashMap<>();
            Map<String, Object> done = new LinkedHashMap<>();
            done.put("input", input.toString());
            done.put("rows", table.rows().length);
            done.put("missing_cells", java.util.Arrays.stream(table.rows()).flatMapToDouble(java.util.Arrays::stream)
                    .filter(Double::isNaN).count());
            done.put("draws_per_row", draws);
            done.put("seconds", r.seconds());
            metrics.put("imputation", done);
            if (evaluate > 0) {
                metrics.put("evaluation", org.score4j.core.conditional.TableImputation.evaluate(t.run(), t.model().model(),
                        evaluationRows(t.run(), rows), evaluate, draws, 5, progress));
            }
            dir.writeJson("metrics.json", metrics);
            return new RunResult(target, t.run(), null, null, metrics);
        }
    }

    /**
     * Inpaints held-out images of a trained run ({@code score4j inpaint}): a mask ({@code half}, {@code box} or
     * {@code random} with the filled {@code fraction}) hides part of each of {@code count} images and the run's sampler
     * fills it. Writes {@code inpainting.png} (rows of original, masked, completed) and {@code metrics.json}.
     */
    public RunResult inpaint(Path from, List<String> overrides, Path out, boolean force, String mask, double fraction,
                             int count, RunProgress progress) {
        Trained t = trained(from, overrides, force, progress);
        Path target = out != null ? out : from.resolve("inpaint-" + mask);
        try (RunDirectory dir = RunDirectory.create(target, force, "score4j inpaint")) {
            steps.begin(t.run(), dir, "inpaint", t.checkpoint().sha256());
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("inpainting", org.score4j.core.conditional.Inpainting.run(t.run(), t.model().model(), mask,
                    fraction, count, dir, progress));
            dir.writeJson("metrics.json", metrics);
            return new RunResult(target, t.run(), null, null, metrics);
        }
    }

    /**
     * The held-out likelihood of a trained run ({@code score4j likelihood}): {@code eval.likelihood}'s settings (with
     * {@code overrides}), on {@code examples} examples (0: the setting's count for the data's kind). Writes
     * {@code metrics.json} (its {@code likelihood} section) and {@code likelihood.csv} (each example's −log p in nats,
     * empty where its batch did not finish) into {@code out} (default {@code from/likelihood}).
     */
    public RunResult likelihood(Path from, List<String> overrides, int examples, Path out, boolean force,
                                RunProgress progress) {
        Trained t = trained(from, overrides, force, progress);
        String refusal = org.score4j.core.evaluation.HeldOutLikelihood.refusal(t.run());
        if (refusal != null) {
            throw new UserError("cannot compute the likelihood of " + from + ": " + refusal);
        }
        int n = examples > 0 ? examples : t.run().eval().likelihood().examplesFor(t.run().data().exampleShape());
        if (n <= 0) {
            throw new UserError("no examples to score: give --examples N (eval.likelihood."
                    + (t.run().data().exampleShape().length == 3 ? "image-examples" : "examples") + " is 0)");
        }
        Path target = out != null ? out : from.resolve("likelihood");
        try (RunDirectory dir = RunDirectory.create(target, force, "score4j likelihood")) {
            steps.begin(t.run(), dir, "likelihood", t.checkpoint().sha256());
            var report = org.score4j.core.evaluation.HeldOutLikelihood.measure(t.run(), t.model().model(),
                    org.score4j.core.evaluation.HeldOutLikelihood.examples(t.run(), n), progress);
            StringBuilder csv = new StringBuilder("example,nll_nats,log_prior,divergence_integral\n");
            var r = report.result();
            for (int i = 0; i < r.nats().length; i++) {
                csv.append(i).append(',').append(cell(r.nats()[i])).append(',').append(cell(r.logPrior()[i])).append(',')
                        .append(cell(r.divergenceIntegral()[i])).append('\n');
            }
            dir.writeText("likelihood.csv", csv.toString());
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("likelihood", report.metrics());
            dir.writeJson("metrics.json", metrics);
            return new RunResult(target, t.run(), null, null, metrics);
        }
    }

    private static String cell(double v) {
        return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.8g", v) : "";
    }

    /** The complete rows imputation is evaluated on: the data set's held-out examples, else the input's complete rows. */
    private static org.nd4j.linalg.api.ndarray.INDArray evaluationRows(ResolvedRun run,
                                                                    org.nd4j.linalg.api.ndarray.INDArray input) {
        if (run.data().heldOut().isPresent() && run.data().heldOut().get() instanceof org.score4j.api.FiniteDataset f) {
            return f.examples(0, f.size());
        }
        double[][] rows = input.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
        double[][] complete = java.util.Arrays.stream(rows).filter(r -> java.util.Arrays.stream(r).noneMatch(Double::isNaN))
                .toArray(double[][]::new);
        if (complete.length < 2) {
            throw new UserError("--evaluate hides cells of complete rows to measure imputation: the data set has no "
                    + "held-out examples and the input has " + complete.length + " complete rows");
        }
        return org.nd4j.linalg.factory.Nd4j.create(complete).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
    }

    /** A trained run's checkpoint, configuration and model, checked as {@link #sample} checks them. */
    private record Trained(Checkpoints.Loaded checkpoint, ResolvedRun run, TrainedModel model) {
    }

    private Trained trained(Path from, List<String> overrides, boolean force, RunProgress progress) {
        Config saved = ConfigSources.saved(from);
        Checkpoints.Loaded checkpoint = Checkpoints.newest(from, MemoryBudget.bytes(),
                message -> progress.note("score4j: " + message));
        Config stored = ConfigSources.parse(checkpoint.meta().configText(), checkpoint.file());
        List<String> swapped = ConfigDiff.between(saved, stored, Application::samplingKey);
        if (!swapped.isEmpty() && !force) {
            throw new UserError("checkpoint " + checkpoint.file() + " was not trained with " + from.resolve("config.conf")
                    + " (was it copied in from another run?):\n  " + String.join("\n  ", swapped)
                    + "\nPass --force to use it anyway, with the configuration it was trained with.");
        }
        ResolvedRun run;
        try {
            run = resolve(ConfigSources.changed(stored, overrides));
        } catch (UserError e) {
            throw new UserError("using " + checkpoint.file() + " with the configuration it holds"
                    + (overrides.isEmpty() ? "" : " and --set " + String.join(" --set ", overrides)) + ": "
                    + e.getMessage(), e.exitCode());
        }
        List<String> changed = RunSteps.differences(checkpoint, run, key -> false);
        if (!changed.isEmpty()) {
            throw new UserError("a trained model is used as it was trained; these keys shape it and cannot change here:"
                    + "\n  " + String.join("\n  ", changed)
                    + "\nChange only sampler.*, sample.* and eval.* keys (sample.schedule sets the sampling grid).");
        }
        return new Trained(checkpoint, run, steps.restore(checkpoint));
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
        ResolvedRun run = resolve(ConfigSources.changed(ConfigSources.saved(runDir), overrides));
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

    private RunResult finish(ResolvedRun run, RunDirectory dir, TrainingResult trained, Sampled sampled,
                             RunProgress progress) {
        Map<String, Object> metrics = steps.evaluate(run, trained.model(), sampled, trained, dir, Map.of(), progress);
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
