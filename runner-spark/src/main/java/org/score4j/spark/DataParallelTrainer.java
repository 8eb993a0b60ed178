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
        return new Trainer(run, runDir, configHash, configText).train(progress, null, (model, step) -> {
            requireDataParallel(model);
            return averageEvery == 1 ? step(task, model, step) : averaged(task, model, step);
        });
    }

    /** Runs {@code work} once per shard as one Spark job and returns the results in shard order. */
    private <T> List<T> onShards(org.apache.spark.api.java.function.Function<Integer, T> work, String what) {
        SparkEngine.requireRunning(spark);
        return SparkEngine.await(spark.parallelize(IntStream.range(0, shards).boxed().toList(), shards).map(work).collectAsync(),
                n -> { }, what);
    }

    /** The shards' per-example losses and levels, joined in shard order. */
    private record Joined(double[] perExample, int[] levels) {
        static Joined of(List<double[]> perExample, List<int[]> levels) {
            int examples = levels.stream().mapToInt(l -> l.length).sum();
            Joined j = new Joined(new double[examples], new int[examples]);
            int at = 0;
            for (int s = 0; s < levels.size(); s++) {
                System.arraycopy(perExample.get(s), 0, j.perExample, at, levels.get(s).length);
                System.arraycopy(levels.get(s), 0, j.levels, at, levels.get(s).length);
                at += levels.get(s).length;
            }
            return j;
        }

        double meanLoss() {
            return java.util.Arrays.stream(perExample).sum() / perExample.length;
        }
    }

    /** The elementwise sum of {@code parts} in their order, in double precision, divided by {@code divisor}. */
    private static float[] sumOver(List<float[]> parts, double divisor) {
        double[] sum = new double[parts.get(0).length];
        for (float[] part : parts) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += part[i];
            }
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = (float) (sum[i] / divisor);
        }
        return mean;
    }

    /** Step {@code step} of a round of parameter averaging, running the round when it starts there. */
    private TrainingStep.Outcome averaged(ShardTask task, ScoreModel model, long step) {
        if (pending.isEmpty()) {
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
        List<ShardTask.Round> parts = onShards(s -> task.round(state, iterations, first, length, s), "training steps "
                + first + " to " + (first + length - 1));
        for (int j = 0; j < length; j++) {
            int step = j;
            // A replica that met a non-finite value stopped there: its list ends at that step.
            List<ShardTask.Round> ran = parts.stream().filter(r -> step < r.perExample().length).toList();
            Joined joined = Joined.of(ran.stream().map(r -> r.perExample()[step]).toList(),
                    ran.stream().map(r -> r.levels()[step]).toList());
            double meanLoss = joined.meanLoss();
            if (!Double.isFinite(meanLoss)) {
                pending.add(new Pending(new TrainingStep.Outcome(joined.perExample(), joined.levels(), meanLoss, Double.NaN,
                        false), null));
                return;
            }
            var stopped = ran.stream().filter(r -> r.problem() != null && step == r.perExample().length - 1).findFirst();
            if (stopped.isPresent()) {
                pending.add(new Pending(null, stopped.get().problem()));
                return;
            }
            double norms = ran.stream().mapToDouble(r -> r.gradNorms()[step]).sum();
            pending.add(new Pending(new TrainingStep.Outcome(joined.perExample(), joined.levels(), meanLoss,
                    norms / ran.size(), true), null));
        }
        model.setTrainingState(Nd4j.createFromArray(sumOver(parts.stream().map(ShardTask.Round::state).toList(),
                parts.size())), iterations + length);
    }

    private void requireDataParallel(ScoreModel model) {
        if (!model.dataParallel()) {
            throw new UserError("model '" + run.names().get(ComponentKind.MODEL) + "' cannot be trained data-parallel "
                    + "(it does not implement ScoreModel.dataParallel); train it with the local engine");
        }
    }

    private TrainingStep.Outcome step(ShardTask task, ScoreModel model, long step) {
        float[] parameters = model.parameters().toFloatVector();
        List<TrainingStep.Shard> parts = onShards(s -> task.run(parameters, step, s), "training step " + step);
        Joined joined = Joined.of(parts.stream().map(TrainingStep.Shard::perExample).toList(),
                parts.stream().map(TrainingStep.Shard::levels).toList());
        double meanLoss = joined.meanLoss();
        // A shard hands back no gradient when its loss is not finite.
        if (!Double.isFinite(meanLoss) || parts.stream().anyMatch(p -> p.gradient() == null)) {
            return new TrainingStep.Outcome(joined.perExample(), joined.levels(), Double.isFinite(meanLoss) ? Double.NaN
                    : meanLoss, Double.NaN, false);
        }
        float[] mean = sumOver(parts.stream().map(TrainingStep.Shard::gradient).toList(), joined.levels().length);
        double norm = model.applyParameterGradient(Nd4j.createFromArray(mean));
        return new TrainingStep.Outcome(joined.perExample(), joined.levels(), meanLoss, norm, true);
    }
}
