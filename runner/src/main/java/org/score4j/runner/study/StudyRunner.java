package org.score4j.runner.study;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.score4j.api.spi.Fingerprint;
import org.score4j.runner.UserError;
import org.score4j.runner.cli.Workflow;
import org.score4j.runner.output.RunDirectory;
import org.score4j.runner.plugins.Catalog;
import org.score4j.runner.training.Checkpoints;
import org.score4j.runner.wiring.ResolvedRun;

/**
 * Runs the cells of a study, each a normal run in {@code cells/<id>/}. Cells whose configurations differ only in
 * sampling and evaluation share one trained model in {@code models/<key>/}. A rerun skips cells whose metrics were
 * written with the same configuration, continues interrupted training from its newest checkpoint, and retries
 * failed cells; one cell's failure never stops the others.
 */
public final class StudyRunner {
    /** How a cell ended. */
    public enum Status { FINISHED, REUSED, FAILED }

    /** A cell's result: its metrics, or its error and what is known (its model's training figures, or null). */
    public record Outcome(Cell cell, Status status, JsonNode metrics, String error, double seconds) {
        public Outcome {
            Objects.requireNonNull(cell, "cell");
            Objects.requireNonNull(status, "status");
        }
    }

    /** A trained model a cell samples: its run directory and the training figures of its metrics.json. */
    private record Model(Path dir, JsonNode train) {
    }

    /** A task of the pool's queue: lower priority first, then in the order queued. */
    private record Queued(Runnable task, int priority, long order) implements Runnable, Comparable<Queued> {
        @Override
        public void run() {
            task.run();
        }

        @Override
        public int compareTo(Queued o) {
            return priority != o.priority ? Integer.compare(priority, o.priority) : Long.compare(order, o.order);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final Catalog catalog;
    private final PrintStream console;

    public StudyRunner(Catalog catalog, PrintStream console) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.console = Objects.requireNonNull(console, "console");
    }

    /**
     * What a study has left to do: the outcomes of cells finished by an earlier run with the same configuration
     * (null for the others), and the cells still to run grouped by the model they share, in study order.
     */
    public record Plan(List<Outcome> previous, Map<String, List<Integer>> groups) {
        public int reused() {
            return (int) previous.stream().filter(Objects::nonNull).count();
        }
    }

    /** Finds the cells finished before and groups the others by their model. */
    public Plan plan(List<Cell> cells, List<ResolvedRun> runs, Path out) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            outcomes.add(previous(cells.get(i), runs.get(i), out));
            if (outcomes.get(i) == null) {
                groups.computeIfAbsent(modelKey(runs.get(i)), k -> new ArrayList<>()).add(i);
            }
        }
        return new Plan(outcomes, groups);
    }

    /** The line a study starts with. */
    public void announce(Plan plan, int cells, String where) {
        int groups = plan.groups().size();
        console.printf(Locale.ROOT, "%d cells: %d finished earlier, %d to run on %d model%s, %s%n", cells, plan.reused(),
                cells - plan.reused(), groups, groups == 1 ? "" : "s", where);
    }

    /**
     * Runs every cell not finished before with {@code jobs} cells or trainings at a time.
     *
     * @param runs each cell's resolved configuration, in the order of {@code cells}
     * @return one outcome per cell, in the order of {@code cells}
     */
    public List<Outcome> run(List<Cell> cells, List<ResolvedRun> runs, Path out, int jobs) {
        Plan plan = plan(cells, runs, out);
        Map<String, List<Integer>> groups = plan.groups();
        List<Outcome> outcomes = new ArrayList<>(plan.previous());
        announce(plan, cells.size(), jobs + " at a time");
        AtomicInteger done = new AtomicInteger(plan.reused());
        long started = System.nanoTime();
        // Sampling a trained model goes ahead of training the next one, so finished cells come early and steadily.
        AtomicLong order = new AtomicLong();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(jobs, jobs, 0, TimeUnit.SECONDS, new PriorityBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "study-cell");
                    t.setDaemon(true);
                    return t;
                });
        Executor training = task -> pool.execute(new Queued(task, 1, order.getAndIncrement()));
        Executor sampling = task -> pool.execute(new Queued(task, 0, order.getAndIncrement()));
        try {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (var group : groups.entrySet()) {
                int first = group.getValue().get(0);
                CompletableFuture<Model> model = CompletableFuture.supplyAsync(
                        () -> train(runs.get(first), out.resolve("models").resolve(group.getKey())), training);
                for (int i : group.getValue()) {
                    futures.add(model.handleAsync((m, failure) -> sample(cells.get(i), runs.get(i), out, m, failure), sampling)
                            .thenAccept(o -> {
                                synchronized (outcomes) {
                                    outcomes.set(i, o);
                                    report(o, done.incrementAndGet(), cells.size(), started);
                                }
                            }));
                }
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdownNow();
        }
        return outcomes;
    }

    /**
     * Trains (or continues) one model in {@code out/models/<key>/} and samples each of its cells into
     * {@code out/cells/<id>/}, one after the other: what an engine's task does with a group of {@link Plan#groups()}.
     *
     * @return the cells' outcomes, in the order given
     */
    public List<Outcome> runGroup(String key, List<Cell> cells, List<ResolvedRun> runs, Path out) {
        Model model = null;
        Throwable failure = null;
        try {
            model = train(runs.get(0), out.resolve("models").resolve(key));
        } catch (RuntimeException e) {
            failure = e;
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            outcomes.add(sample(cells.get(i), runs.get(i), out, model, failure));
        }
        return outcomes;
    }

    /** A cell that could not run at all (e.g. its engine task kept failing), with its error written beside it. */
    public static Outcome failedToRun(Cell cell, Path out, String message) {
        Path dir = out.resolve("cells").resolve(cell.id());
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("metrics.json"));
        } catch (IOException ignored) {
            // the table still reports it
        }
        return failed(cell, dir, message, null, System.nanoTime());
    }

    /** Cells that share everything but sampling and evaluation share a model. */
    static String modelKey(ResolvedRun run) {
        String training = Workflow.render(run.resolved().withoutPath("sampler").withoutPath("sample").withoutPath("eval"));
        return Fingerprint.sha256(training).substring(0, 16);
    }

    /** The outcome of a cell finished by an earlier run of the same study with the same configuration, or null. */
    private static Outcome previous(Cell cell, ResolvedRun run, Path out) {
        Path dir = out.resolve("cells").resolve(cell.id());
        try {
            if (Files.isRegularFile(dir.resolve("metrics.json"))
                    && Files.readString(dir.resolve("config.conf")).equals(Workflow.configFileText(run.resolved()))) {
                return new Outcome(cell, Status.REUSED, RunDirectory.readJson(dir.resolve("metrics.json")), null, 0);
            }
        } catch (IOException e) {
            // unreadable leftovers: the cell runs again
        }
        return null;
    }

    private Model train(ResolvedRun run, Path dir) {
        try {
            if (Files.isRegularFile(dir.resolve("metrics.json")) && !Checkpoints.list(dir).isEmpty()) {
                return new Model(dir, RunDirectory.readJson(dir.resolve("metrics.json")).get("train"));
            }
            Files.createDirectories(dir);
            try (PrintStream log = log(dir)) {
                Workflow w = new Workflow(catalog, log, log);
                Checkpoints.Loaded from = null;
                if (!Checkpoints.list(dir).isEmpty()) {
                    try {
                        from = w.checkpoint(dir, run);
                        log.println("continuing from " + from.file().getFileName() + " (step " + from.step() + ")");
                    } catch (UserError e) {
                        log.println("training afresh: " + e.getMessage());
                    }
                }
                RunDirectory target = from == null ? RunDirectory.create(dir, true) : RunDirectory.existing(dir);
                boolean train = from == null || from.step() < run.train().steps();
                w.execute("ablate", run, target, train, false, from, Map.of());
                return new Model(dir, RunDirectory.readJson(dir.resolve("metrics.json")).get("train"));
            }
        } catch (IOException e) {
            throw new UserError("cannot write the model of a study in " + dir + ": " + e.getMessage(), UserError.FAILED);
        }
    }

    private Outcome sample(Cell cell, ResolvedRun run, Path out, Model model, Throwable trainingFailure) {
        long t0 = System.nanoTime();
        Path dir = out.resolve("cells").resolve(cell.id());
        JsonNode known = null;
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("metrics.json"));
            Files.deleteIfExists(dir.resolve("error.txt"));
            if (trainingFailure != null) {
                return failed(cell, dir, "training failed: " + message(trainingFailure), null, t0);
            }
            Map<String, Object> inherited = new LinkedHashMap<>();
            inherited.put("model", out.relativize(model.dir()).toString());
            if (model.train() != null) {
                inherited.put("train", model.train());
            }
            // A cell whose sampling fails still shows what its training gave.
            known = JSON.valueToTree(inherited);
            try (PrintStream log = log(dir)) {
                Workflow w = new Workflow(catalog, log, log);
                Checkpoints.Loaded from = w.checkpoint(model.dir(), run);
                w.execute("ablate", run, RunDirectory.create(dir, true), false, true, from, inherited);
            }
            return new Outcome(cell, Status.FINISHED, RunDirectory.readJson(dir.resolve("metrics.json")), null,
                    (System.nanoTime() - t0) / 1e9);
        } catch (IOException | RuntimeException e) {
            return failed(cell, dir, message(e), known, t0);
        }
    }

    private static Outcome failed(Cell cell, Path dir, String message, JsonNode known, long t0) {
        try {
            Files.writeString(dir.resolve("error.txt"), message + "\n");
        } catch (IOException ignored) {
            // the table still reports it
        }
        return new Outcome(cell, Status.FAILED, known, message, (System.nanoTime() - t0) / 1e9);
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
        return "internal error: " + t;
    }

    /** A progress line: {@code [done/total] cell: what happened (elapsed)}. */
    public void report(Outcome o, int done, int total, long started) {
        double elapsed = (System.nanoTime() - started) / 1e9;
        String what = o.status() == Status.FAILED ? "FAILED: " + o.error().lines().findFirst().orElse("")
                : String.format(Locale.ROOT, "finished in %.1f s", o.seconds());
        console.printf(Locale.ROOT, "[%d/%d] %s: %s (%d:%02d elapsed)%n", done, total, o.cell().title(), what,
                (long) elapsed / 60, (long) elapsed % 60);
    }

    private static PrintStream log(Path dir) throws IOException {
        OutputStream file = Files.newOutputStream(dir.resolve("log.txt"), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new PrintStream(file, true, StandardCharsets.UTF_8);
    }
}
