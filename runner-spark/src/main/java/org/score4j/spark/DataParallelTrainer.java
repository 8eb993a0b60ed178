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
 * Synchronous data-parallel training: each step is one Spark job whose tasks compute the gradients of the shards of
 * the step's batch on replicas holding the driver's parameters; the driver sums them in shard order (so a run is
 * reproducible), divides by the examples, and takes the optimizer step. The trainer's loop, logs, checkpoints and
 * divergence handling are the local ones.
 */
final class DataParallelTrainer {
    private final JavaSparkContext spark;
    private final List<String> plugins;
    private final int shards;
    private final ResolvedRun run;
    private final java.io.PrintStream console;

    DataParallelTrainer(JavaSparkContext spark, List<String> plugins, int shards, ResolvedRun run, java.io.PrintStream console) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.plugins = List.copyOf(plugins);
        this.shards = shards;
        this.run = Objects.requireNonNull(run, "run");
        this.console = Objects.requireNonNull(console, "console");
    }

    TrainingResult train(Path runDir, String configHash, String configText, ProgressBar progress) {
        int batch = run.train().batchSize();
        if (shards > batch) {
            throw new UserError("data-parallel training splits each batch of train.batch-size = " + batch + " into "
                    + shards + " shards; use at most " + batch + " shards (--conf " + SparkEngine.SHARDS + "=N)");
        }
        console.println("score4j: training data-parallel on " + shards + " shards of each batch of " + batch
                + " (one Spark job per step)");
        ShardTask task = new ShardTask(Workflow.render(run.resolved()), plugins, Trainer.dataScale(run), shards);
        spark.setJobGroup("score4j-train", "score4j data-parallel training: " + shards + " shards of "
                + run.names().get(ComponentKind.MODEL), false);
        return new Trainer(run, runDir, configHash, configText).train(progress, null, (model, step) -> step(task, model, step));
    }

    private TrainingStep.Outcome step(ShardTask task, ScoreModel model, long step) {
        if (!model.dataParallel()) {
            throw new UserError("model '" + run.names().get(ComponentKind.MODEL) + "' cannot be trained data-parallel "
                    + "(it does not implement ScoreModel.dataParallel); train it with the local engine");
        }
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
