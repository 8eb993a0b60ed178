package org.score4j.spark;

import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.ScoreModel;
import org.score4j.core.RunProgress;
import org.score4j.core.UserError;
import org.score4j.core.config.ComponentSlot;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.output.RunDirectory;
import org.score4j.core.training.Models;
import org.score4j.core.training.Trainer;
import org.score4j.core.training.TrainingResult;
import org.score4j.core.training.TrainingState;
import org.score4j.core.training.TrainingStep;

/**
 * Data-parallel training, the trainer's loop, logs, checkpoints and divergence handling being the local ones, and the
 * optimizer step the runner's own on the same flat vectors. Synchronous (averaging every step): each step is one Spark
 * job whose tasks compute the gradients of the shards of the step's batch on replicas holding the driver's parameters;
 * the driver sums them in shard order (so a run is reproducible) and takes the optimizer step. Averaging every K &gt; 1
 * steps: each job is a round of K steps in which every replica, starting from the driver's training state, takes its
 * own optimizer steps on its shards of those steps; the driver then averages the replicas' states (parameters, the
 * optimizer's state, the moving average) in shard order. Rounds start at steps 1, K + 1, 2K + 1, … so checkpoints fall
 * between them.
 */
final class DataParallelTrainer {
    private final JavaSparkContext spark;
    private final List<String> plugins;
    private final int shards;
    private final ResolvedRun run;
    private final RunProgress progress;
    private final int averageEvery;
    private final java.util.Deque<Pending> pending = new java.util.ArrayDeque<>();

    /** A step of a finished round, or the step at which a replica met a non-finite value. */
    private record Pending(TrainingStep.Outcome outcome, String nonFinite) {
    }

    DataParallelTrainer(JavaSparkContext spark, List<String> plugins, int shards, int averageEvery, ResolvedRun run,
                        RunProgress progress) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.plugins = List.copyOf(plugins);
        this.shards = shards;
        this.averageEvery = averageEvery;
        this.run = Objects.requireNonNull(run, "run");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    TrainingResult train(RunDirectory dir) {
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
        progress.note("score4j: training data-parallel on " + shards + " shard" + (shards == 1 ? "" : "s")
                + " of each batch of " + batch + (averageEvery == 1 ? " (gradients summed every step, one Spark job per step)"
                : " (parameters averaged every " + averageEvery + " steps, one Spark job per " + averageEvery + " steps)"));
        ShardTask task = new ShardTask(run.rendered(), plugins, Models.dataScale(run), shards);
        spark.setJobGroup("score4j-train", "score4j data-parallel training: " + shards + " shards of "
                + run.name(ComponentSlot.MODEL), false);
        return new Trainer(run, dir).train(progress, null, (model, state, step) ->
                averageEvery == 1 ? step(task, state, step) : averaged(task, state, step));
    }

    /** Runs {@code work} once per shard as one Spark job and returns the results in shard order. */
    private <T> List<T> onShards(org.apache.spark.api.java.function.Function<Integer, T> work, String what) {
        SparkEngine.requireRunning(spark);
        return SparkEngine.await(spark.parallelize(IntStream.range(0, shards).boxed().toList(), shards).map(work).collectAsync(),
                n -> { }, what);
    }

    /** The shards' per-example losses and noise levels, joined in shard order. */
    private record Joined(double[] perExample, double[] sigmas) {
        static Joined of(List<double[]> perExample, List<double[]> sigmas) {
            int examples = sigmas.stream().mapToInt(l -> l.length).sum();
            Joined j = new Joined(new double[examples], new double[examples]);
            int at = 0;
            for (int s = 0; s < sigmas.size(); s++) {
                System.arraycopy(perExample.get(s), 0, j.perExample, at, sigmas.get(s).length);
                System.arraycopy(sigmas.get(s), 0, j.sigmas, at, sigmas.get(s).length);
                at += sigmas.get(s).length;
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
    private TrainingStep.Outcome averaged(ShardTask task, TrainingState state, long step) {
        if (pending.isEmpty()) {
            round(task, state, step);
        }
        Pending p = pending.poll();
        if (p.nonFinite() != null) {
            pending.clear();
            throw new org.score4j.api.NonFiniteException(p.nonFinite());
        }
        return p.outcome();
    }

    private void round(ShardTask task, TrainingState state, long first) {
        int length = (int) Math.min(averageEvery - (first - 1) % averageEvery, run.train().steps() - first + 1);
        float[] flat = state.flatten();
        long taken = state.steps();
        List<ShardTask.Round> parts = onShards(s -> task.round(flat, taken, first, length, s), "training steps "
                + first + " to " + (first + length - 1));
        for (int j = 0; j < length; j++) {
            int step = j;
            // A replica that met a non-finite value stopped there: its list ends at that step.
            List<ShardTask.Round> ran = parts.stream().filter(r -> step < r.perExample().length).toList();
            Joined joined = Joined.of(ran.stream().map(r -> r.perExample()[step]).toList(),
                    ran.stream().map(r -> r.sigmas()[step]).toList());
            double meanLoss = joined.meanLoss();
            if (!Double.isFinite(meanLoss)) {
                pending.add(new Pending(new TrainingStep.Outcome(joined.perExample(), joined.sigmas(), meanLoss, Double.NaN,
                        false), null));
                return;
            }
            var stopped = ran.stream().filter(r -> r.problem() != null && step == r.perExample().length - 1).findFirst();
            if (stopped.isPresent()) {
                pending.add(new Pending(null, stopped.get().problem()));
                return;
            }
            double norms = ran.stream().mapToDouble(r -> r.gradNorms()[step]).sum();
            pending.add(new Pending(new TrainingStep.Outcome(joined.perExample(), joined.sigmas(), meanLoss,
                    norms / ran.size(), true), null));
        }
        state.restore(sumOver(parts.stream().map(ShardTask.Round::state).toList(), parts.size()), taken + length);
    }

    private TrainingStep.Outcome step(ShardTask task, TrainingState state, long step) {
        float[] parameters = org.score4j.api.tensors.Tensors.floats(state.parameters());
        List<ShardTask.Shard> parts = onShards(s -> task.run(parameters, step, s), "training step " + step);
        Joined joined = Joined.of(parts.stream().map(ShardTask.Shard::perExample).toList(),
                parts.stream().map(ShardTask.Shard::sigmas).toList());
        double meanLoss = joined.meanLoss();
        // A shard hands back no gradient when its loss is not finite.
        if (!Double.isFinite(meanLoss) || parts.stream().anyMatch(p -> p.gradient() == null)) {
            return new TrainingStep.Outcome(joined.perExample(), joined.sigmas(), Double.isFinite(meanLoss) ? Double.NaN
                    : meanLoss, Double.NaN, false);
        }
        float[] sum = sumOver(parts.stream().map(ShardTask.Shard::gradient).toList(), 1);
        double norm = state.apply(Nd4j.createFromArray(sum), joined.sigmas().length, run.optimizer(), run.lrSchedule(),
                run.train().steps(), run.train().clipNorm(), run.train().emaRate());
        return new TrainingStep.Outcome(joined.perExample(), joined.sigmas(), meanLoss, norm, true);
    }
}
