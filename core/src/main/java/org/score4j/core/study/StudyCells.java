package org.score4j.core.study;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.score4j.core.RunProgress;
import org.score4j.core.UserError;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.output.RunDirectory;
import org.score4j.core.run.RunSteps;
import org.score4j.core.run.Sampled;
import org.score4j.core.run.TrainedModel;
import org.score4j.core.training.Checkpoints;
import org.score4j.core.training.TrainingResult;

/**
 * The cells of a study, each a normal run in {@code cells/<id>/}: planning (which cells an earlier run finished, which
 * share a model) and running one group of cells (train their model in {@code models/<key>/} or continue it, then
 * sample each cell from it). A rerun skips cells whose metrics were written with the same configuration, continues
 * interrupted training from its newest checkpoint, and retries failed cells; one cell's failure never stops the
 * others. Engines decide where groups run.
 */
public final class StudyCells {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final RunSteps steps;

    public StudyCells(RunSteps steps) {
        this.steps = Objects.requireNonNull(steps, "steps");
    }

    /** Finds the cells finished before and groups the others by their model. */
    public static StudyPlan plan(List<Cell> cells, List<ResolvedRun> runs, Path out) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        List<CellOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            outcomes.add(previous(cells.get(i), runs.get(i), out));
            if (outcomes.get(i) == null) {
                groups.computeIfAbsent(modelKey(runs.get(i)), k -> new ArrayList<>()).add(i);
            }
        }
        return new StudyPlan(cells, runs, out, outcomes, groups);
    }

    /** The line a study starts with. */
    public static String announcement(StudyPlan plan, String where) {
        int groups = plan.groups().size();
        int cells = plan.cells().size();
        return String.format(Locale.ROOT, "%d cells: %d finished earlier, %d to run on %d model%s, %s", cells,
                plan.reused(), cells - plan.reused(), groups, groups == 1 ? "" : "s", where);
    }

    /** Cells whose configurations differ only in sampling and evaluation share a model. */
    public static String modelKey(ResolvedRun run) {
        return run.trainingConfigHash().substring(0, 16);
    }

    /**
     * Trains (or continues) the model of a group in {@code out/models/<key>/}, then samples each of its cells into
     * {@code out/cells/<id>/}, one after the other.
     *
     * @return the cells' outcomes, in the order given
     */
    public List<CellOutcome> runGroup(String key, List<Cell> cells, List<ResolvedRun> runs, Path out) {
        TrainedModel model = null;
        Throwable failure = null;
        JsonNode training = null;
        try {
            Path dir = out.resolve("models").resolve(key);
            model = train(runs.get(0), dir);
            training = trainingFigures(dir);
        } catch (RuntimeException e) {
            failure = e;
        }
        List<CellOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            outcomes.add(sample(cells.get(i), runs.get(i), out, model, training, failure));
        }
        return outcomes;
    }

    /**
     * Trains the model of a group in {@code dir}, or continues or reuses what an earlier run of the study left there,
     * returning it with the checkpoint it is in.
     */
    public TrainedModel train(ResolvedRun run, Path dir) {
        try {
            Files.createDirectories(dir);
            try (RunDirectory target = RunDirectory.existing(dir, "score4j ablate"); PrintStream log = log(dir)) {
                RunProgress notes = notes(log);
                Checkpoints.Loaded from = null;
                if (!Checkpoints.list(dir).isEmpty()) {
                    try {
                        from = RunSteps.checkpoint(dir, run, false, notes);
                    } catch (UserError e) {
                        log.println("training afresh: " + e.getMessage());
                    }
                }
                boolean finished = from != null && from.step() >= run.train().steps();
                if (finished && Files.isRegularFile(dir.resolve("metrics.json"))) {
                    return steps.restore(from);
                }
                steps.begin(run, target, "score4j ablate", null);
                if (finished) {
                    TrainedModel restored = steps.restore(from);
                    steps.evaluate(run, restored.model(), null, null, target, Map.of(), notes);
                    return restored;
                }
                if (from != null) {
                    log.println("continuing from " + from.file().getFileName() + " (step " + from.step() + ")");
                }
                TrainingResult trained = steps.train(run, target, from, notes);
                steps.evaluate(run, trained.model(), null, trained, target, Map.of(), notes);
                return new TrainedModel(trained.model(), Checkpoints.list(dir).get(0));
            }
        } catch (IOException e) {
            throw UserError.io("write the model of a study in", dir, e);
        }
    }

    /** Samples one cell from its group's model into {@code out/cells/<id>/}. */
    public CellOutcome sample(Cell cell, ResolvedRun run, Path out, TrainedModel model, JsonNode training,
                              Throwable trainingFailure) {
        long t0 = System.nanoTime();
        Path dir = out.resolve("cells").resolve(cell.id());
        JsonNode known = null;
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("error.txt"));
            try (RunDirectory target = RunDirectory.create(dir, true, "score4j ablate")) {
                if (trainingFailure != null) {
                    return failed(cell, dir, "training failed: " + message(trainingFailure), null, t0);
                }
                Map<String, Object> inherited = new LinkedHashMap<>();
                inherited.put("model", out.relativize(model.checkpoint().getParent().getParent()).toString());
                if (training != null) {
                    inherited.put("train", training);
                }
                // A cell whose sampling fails still shows what its training gave.
                known = JSON.valueToTree(inherited);
                try (PrintStream log = log(dir)) {
                    steps.begin(run, target, "score4j ablate", Checkpoints.sha256(model.checkpoint()));
                    RunProgress notes = notes(log);
                    Sampled sampled = RunSteps.sample(run, model.model(), notes);
                    steps.writeSamples(run, target, sampled);
                    steps.evaluate(run, model.model(), sampled, null, target, inherited, notes);
                }
            }
            return new CellOutcome(cell, CellOutcome.Status.FINISHED, RunDirectory.readJson(dir.resolve("metrics.json")),
                    null, (System.nanoTime() - t0) / 1e9);
        } catch (IOException | RuntimeException e) {
            return failed(cell, dir, message(e), known, t0);
        }
    }

    /** A cell that could not run at all (e.g. its engine task kept failing), with its error written beside it. */
    public static CellOutcome failedToRun(Cell cell, Path out, String message) {
        Path dir = out.resolve("cells").resolve(cell.id());
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("metrics.json"));
        } catch (IOException ignored) {
            // the table still reports it
        }
        return failed(cell, dir, message, null, System.nanoTime());
    }

    private static JsonNode trainingFigures(Path dir) {
        try {
            return RunDirectory.readJson(dir.resolve("metrics.json")).get("train");
        } catch (IOException e) {
            return null;
        }
    }

    /** The outcome of a cell finished by an earlier run of the same study with the same configuration, or null. */
    private static CellOutcome previous(Cell cell, ResolvedRun run, Path out) {
        Path dir = out.resolve("cells").resolve(cell.id());
        try {
            if (Files.isRegularFile(dir.resolve("metrics.json"))
                    && Files.readString(dir.resolve("config.conf")).equals(RunSteps.configFileText(run))) {
                return new CellOutcome(cell, CellOutcome.Status.REUSED, RunDirectory.readJson(dir.resolve("metrics.json")),
                        null, 0);
            }
        } catch (IOException e) {
            // unreadable leftovers: the cell runs again
        }
        return null;
    }

    private static CellOutcome failed(Cell cell, Path dir, String message, JsonNode known, long t0) {
        try {
            Files.writeString(dir.resolve("error.txt"), message + "\n");
        } catch (IOException ignored) {
            // the table still reports it
        }
        return new CellOutcome(cell, CellOutcome.Status.FAILED, known, message, (System.nanoTime() - t0) / 1e9);
    }

    /** A user error's own message; anything else by its type too, since it is not the user's mistake. */
    public static String message(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UserError) {
                return c.getMessage();
            }
        }
        return "internal error: " + org.score4j.core.plugins.PluginGuard.describe(t);
    }

    /** A progress line: {@code [done/total] cell: what happened (elapsed)}. */
    public static String report(CellOutcome o, int done, int total, long started) {
        double elapsed = (System.nanoTime() - started) / 1e9;
        String what = o.status() == CellOutcome.Status.FAILED ? "FAILED: " + o.error().lines().findFirst().orElse("")
                : String.format(Locale.ROOT, "finished in %.1f s", o.seconds());
        return String.format(Locale.ROOT, "[%d/%d] %s: %s (%d:%02d elapsed)", done, total, o.cell().title(), what,
                (long) elapsed / 60, (long) elapsed % 60);
    }

    private static RunProgress notes(PrintStream log) {
        return new RunProgress() {
            @Override
            public void progress(String task, long done, long total, String status) {
                if (done == total || (total >= 10 && done % (total / 10) == 0)) {
                    log.println(task + " " + done + "/" + total + (status == null ? "" : " " + status));
                }
            }

            @Override
            public void note(String message) {
                log.println(message);
            }
        };
    }

    private static PrintStream log(Path dir) throws IOException {
        OutputStream file = Files.newOutputStream(dir.resolve("log.txt"), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new PrintStream(file, true, StandardCharsets.UTF_8);
    }
}
