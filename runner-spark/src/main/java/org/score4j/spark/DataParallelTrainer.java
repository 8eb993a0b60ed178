package org.score4j.spark;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.ScoreModel;
import org.score4j.runner.ComponentKind;
import org.score4j.runner.ProgressBar;
import org.score4j.runner.UserError;
import org.score4j.runner.cli.Workflow;
import org.score4j.runner.training.Trainer;
import org.score4j.runner.training.TrainingResult;
import org.score4j.runner.training.TrainingStep;
import org.score4j.runner.wiring.ResolvedRun;

/**
 * Data-parallel training, the trainer's loop, logs, checkpoints and divergence handling being the local ones.
 * Synchronous (averaging every step): each step is one Spark job whose tasks compute the gradients of the shards of
 * the step's batch on replicas holding the driver's parameters; the driver sums them in shard order (so a run is
 * reproducible), divides by the examples, and takes the optimizer step. Averaging every K > 1 steps: each job is a
 * round of K steps in which every replica, starting from the driver's training state, takes its own optimizer steps
 * on its shards of those steps; the driver then averages the replicas' states (parameters, Adam's moments, the moving
 * average) in shard order. Rounds start at steps 1, K + 1, 2K + 1, … so checkpoints fall between them.
 */
final class DataParallelTrainer {
    private final JavaSparkContext spark;
    private final List<String> plugins;
    private final int shards;
    private final ResolvedRun run;
    private final java.io.PrintStream console;
    private final int averageEvery;
    private final java.util.Deque<Pending> pending = new java.util.ArrayDeque<>();

    /** A step of a finished round, or the step at which a replica met a non-finite value. */
    private record Pending(TrainingStep.Outcome outcome, String nonFinite) {
    }

    DataParallelTrainer(JavaSparkContext spark, List<String> plugins, int shards, int averageEvery, ResolvedRun run,
                        java.io.PrintStream console) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.plugins = List.copyOf(plugins);
        this.shards = shards;
        this.averageEvery = averageEvery;
        this.run = Objects.requireNonNull(run, "run");
        this.console = Objects.requireNonNull(console, "console");
    }

    TrainingResult train(Path runDir, String configHash, String configText, ProgressBar progress) {
        int batch = run.train().batchSize();
        if (shards > batch) {
            throw new UserError("data-parallel training splits each batch of train.batch-size = " + batch + " into "
                    + shards + " shards; use at most " + batch + " shards (--conf " + SparkEngine.SHARDS + "=N)");
        }
        if (averageEvery > 1 && run.train().checkpointEvery() % averageEvery != 0) {
            throw new UserError("with --conf " + SparkEngine.AVERAGE_EVERY + "=" + averageEvery + ", train.checkpoint-every ("
                    + run.train().checkpointEvery() + ") must be a multiple of " + averageEvery
                    + ", so that checkpoints fall between averaging rounds");
        }
        console.println("score4j: training data-parallel on " + shards + " shard" + (shards == 1 ? "" : "s")
                + " of each batch of " + batch + (averageEvery == 1 ? " (gradients summed every step, one Spark job per step)"
                : " (parameters averaged every " + averageEvery + " steps, one Spark job per " + averageEvery + " steps)"));
        ShardTask task = new ShardTask(Workflow.render(run.resolved()), plugins, Trainer.dataScale(run), shards);
        spark.setJobGroup("score4j-train", "score4j data-parallel training: " + shards + " shards of "
                + run.names().get(ComponentKind.MODEL), false);
        return new Trainer(run, runDir, configHash, configText).train(progress, null,
                (model, step) -> averageEvery == 1 ? step(task, model, step) : averaged(task, model, step));
    }

    /** Step {@code step} of a round of parameter averaging, running the round when it starts there. */
    private TrainingStep.Outcome averaged(ShardTask task, ScoreModel model, long step) {
        if (pending.isEmpty()) {
            requireDataParallel(model);
            SparkEngine.requireRunning(spark);
            round(task, model, step);
        }
        Pending p = pending.poll();
        if (p.nonFinite() != null) {
            pending.clear();
            throw new org.score4j.api.NonFiniteException(p.nonFinite());
        }
        return p.outcome();
    }

    private void round(ShardTask task, ScoreModel model, long first) {
        int length = (int) Math.min(averageEvery - (first - 1) % averageEvery, run.train().steps() - first + 1);
        float[] state = model.trainingState().toFloatVector();
        long iterations = model.iterations();
        List<ShardTask.Round> parts = SparkEngine.await(spark.parallelize(IntStream.range(0, shards).boxed().toList(), shards)
                .map(s -> task.round(state, iterations, first, length, s)).collectAsync(), n -> { }, "training steps " + first
                + " to " + (first + length - 1));
        for (int j = 0; j < length; j++) {
            int examples = 0;
            double norms = 0;
            String problem = null;
            for (ShardTask.Round r : parts) {
                if (j < r.perExample().length) {
                    examples += r.levels()[j].length;
                    norms += r.gradNorms()[j];
                    if (r.problem() != null && j == r.perExample().length - 1) {
                        problem = problem == null ? r.problem() : problem;
                    }
                }
            }
            double[] perExample = new double[examples];
            int[] levels = new int[examples];
            int at = 0;
            for (ShardTask.Round r : parts) {
                if (j < r.perExample().length) {
                    System.arraycopy(r.perExample()[j], 0, perExample, at, r.perExample()[j].length);
                    System.arraycopy(r.levels()[j], 0, levels, at, r.levels()[j].length);
                    at += r.levels()[j].length;
                }
            }
            double meanLoss = java.util.Arrays.stream(perExample).sum() / examples;
            if (!Double.isFinite(meanLoss)) {
                pending.add(new Pending(new TrainingStep.Outcome(perExample, levels, meanLoss, Double.NaN, false), null));
                return;
            }
            if (problem != null) {
                pending.add(new Pending(null, problem));
                return;
            }
            pending.add(new Pending(new TrainingStep.Outcome(perExample, levels, meanLoss, norms / parts.size(), true), null));
        }
        double[] sum = new double[state.length];
        for (ShardTask.Round r : parts) {
            float[] s = r.state();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += s[i];
            }
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = (float) (sum[i] / parts.size());
        }
        model.setTrainingState(Nd4j.createFromArray(mean), iterations + length);
    }

    private void requireDataParallel(ScoreModel model) {
        if (!model.dataParallel()) {
            throw new UserError("model '" + run.names().get(ComponentKind.MODEL) + "' cannot be trained data-parallel "
                    + "(it does not implement ScoreModel.dataParallel); train it with the local engine");
        }
    }

    private TrainingStep.Outcome step(ShardTask task, ScoreModel model, long step) {
        requireDataParallel(model);
        SparkEngine.requireRunning(spark);
        float[] parameters = model.parameters().toFloatVector();
        List<TrainingStep.Shard> parts = SparkEngine.await(spark.parallelize(IntStream.range(0, shards).boxed().toList(), shards)
                .map(s -> task.run(parameters, step, s)).collectAsync(), n -> { }, "training step " + step);
        int examples = parts.stream().mapToInt(p -> p.levels().length).sum();
        double[] perExample = new double[examples];
        int[] levels = new int[examples];
        double[] sum = new double[parameters.length];
        boolean finite = true;
        int at = 0;
        for (TrainingStep.Shard p : parts) {
            System.arraycopy(p.perExample(), 0, perExample, at, p.perExample().length);
            System.arraycopy(p.levels(), 0, levels, at, p.levels().length);
            at += p.levels().length;
            if (p.gradient() == null) {
                finite = false;
                continue;
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] += p.gradient()[i];
            }
        }
        double meanLoss = java.util.Arrays.stream(perExample).sum() / examples;
        if (!finite || !Double.isFinite(meanLoss)) {
            return new TrainingStep.Outcome(perExample, levels, Double.isFinite(meanLoss) ? Double.NaN : meanLoss, Double.NaN, false);
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = (float) (sum[i] / examples);
        }
        double norm = model.applyParameterGradient(Nd4j.createFromArray(mean));
        return new TrainingStep.Outcome(perExample, levels, meanLoss, norm, true);
    }
}
