package org.score4j.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.core.RunProgress;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.output.RunDirectory;
import org.score4j.core.run.RunSteps;
import org.score4j.core.run.Sampled;
import org.score4j.core.run.TrainedModel;
import org.score4j.core.study.CellOutcome;
import org.score4j.core.study.StudyCells;
import org.score4j.core.study.StudyPlan;
import org.score4j.core.training.Checkpoints;
import org.score4j.core.training.TrainingResult;

/**
 * The engine that runs everything in this process. A study runs {@code jobs} cells or trainings at a time, the
 * machine's native threads split between them; sampling a trained model goes ahead of training the next one, so
 * finished cells come early and steadily. Cells that share a trained model sample it one at a time.
 */
public final class LocalEngine implements Engine {
    private final RunSteps steps;
    private final int jobs;

    public LocalEngine(EngineSettings settings) {
        this.steps = Objects.requireNonNull(settings.steps(), "steps");
        this.jobs = Math.max(1, settings.jobs());
    }

    @Override
    public String name() {
        return Engines.LOCAL;
    }

    @Override
    public TrainingResult train(ResolvedRun run, RunDirectory dir, Checkpoints.Loaded resume, RunProgress progress) {
        return steps.train(run, dir, resume, progress);
    }

    @Override
    public Sampled sample(ResolvedRun run, TrainedModel model, RunProgress progress) {
        return RunSteps.sample(run, model.model(), progress);
    }

    @Override
    public List<CellOutcome> runStudy(StudyPlan plan, RunProgress progress) {
        List<CellOutcome> outcomes = new ArrayList<>(plan.previous());
        progress.note(StudyCells.announcement(plan, jobs + " at a time"));
        int nativeThreads = Nd4j.getEnvironment().maxThreads();
        int blasThreads = Nd4j.factory().blas().getMaxThreads();
        if (jobs > 1) {
            // Cells share the cores: each gets its slice instead of all of them fighting over every core.
            int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / jobs);
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
        }
        AtomicInteger done = new AtomicInteger(plan.reused());
        long started = System.nanoTime();
        AtomicLong order = new AtomicLong();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(jobs, jobs, 0, TimeUnit.SECONDS, new PriorityBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "study-cell");
                    t.setDaemon(true);
                    return t;
                });
        Executor training = task -> pool.execute(new Queued(task, 1, order.getAndIncrement()));
        Executor sampling = task -> pool.execute(new Queued(task, 0, order.getAndIncrement()));
        StudyCells cells = new StudyCells(steps);
        try {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (Map.Entry<String, List<Integer>> group : plan.groups().entrySet()) {
                int first = group.getValue().get(0);
                CompletableFuture<TrainedModel> model = CompletableFuture.supplyAsync(() -> cells.train(plan.runs().get(first),
                        plan.out().resolve("models").resolve(group.getKey())), training);
                // A model is not thread-safe: the cells sharing one sample it in turn, each after the one before.
                CompletableFuture<?> turn = model;
                for (int i : group.getValue()) {
                    CompletableFuture<Void> cell = turn.handle((ignored, failure) -> null).thenCompose(ignored ->
                            model.handleAsync((m, failure) -> cells.sample(plan.cells().get(i), plan.runs().get(i),
                                    plan.out(), m, m == null ? null : figures(plan, group.getKey()), unwrap(failure)),
                            sampling)).thenAccept(o -> {
                                synchronized (outcomes) {
                                    outcomes.set(i, o);
                                    progress.note(StudyCells.report(o, done.incrementAndGet(), plan.cells().size(),
                                            started));
                                }
                            });
                    futures.add(cell);
                    turn = cell;
                }
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdownNow();
            Nd4j.getEnvironment().setMaxThreads(nativeThreads);
            Nd4j.factory().blas().setMaxThreads(blasThreads);
        }
        return outcomes;
    }

    private static com.fasterxml.jackson.databind.JsonNode figures(StudyPlan plan, String key) {
        try {
            return RunDirectory.readJson(plan.out().resolve("models").resolve(key).resolve("metrics.json")).get("train");
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
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

    @Override
    public void close() {
        // nothing is held
    }
}
