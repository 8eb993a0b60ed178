package org.score4j.spark;

import com.typesafe.config.ConfigFactory;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.ScoreModel;
import org.score4j.runner.cli.Workflow;
import org.score4j.runner.training.Trainer;
import org.score4j.runner.training.TrainingStep;
import org.score4j.runner.wiring.ResolvedRun;

/**
 * A shard of a data-parallel training step on an executor: a replica of the model takes the driver's parameters and
 * computes its shard's gradient. Replicas stay with the executor between steps (one per task running at a time),
 * so a step ships parameters and gradients, not models.
 *
 * @param config  the run's resolved configuration
 * @param plugins the plugin jars shipped with the job, by file name
 * @param scale   the data scale the model was built with
 * @param shards  the shards of each step
 */
record ShardTask(String config, List<String> plugins, double scale, int shards) implements Serializable {

    /** A replica: its own resolved run (data, objective) and model, used by one task at a time. */
    private record Replica(TrainingStep step, ScoreModel model) {
    }

    private static final Map<ShardTask, Queue<Replica>> REPLICAS = new ConcurrentHashMap<>();

    TrainingStep.Shard run(float[] parameters, long step, int shard) {
        return withReplica(r -> {
            r.model().setParameters(Nd4j.createFromArray(parameters));
            return r.step().shard(r.model(), step, shard, shards);
        });
    }

    /**
     * What a shard's replica did in a round of parameter averaging.
     *
     * @param perExample each local step's per-example losses
     * @param levels     each local step's noise levels
     * @param gradNorms  each local step's gradient norm (of the shard's mean loss)
     * @param state      the replica's training state after the round, or null when a step's loss or gradient was not
     *                   finite (that step is the last one listed)
     * @param problem    what was not finite, or null
     */
    record Round(double[][] perExample, int[][] levels, double[] gradNorms, float[] state, String problem)
            implements Serializable {
    }

    /**
     * A round of parameter averaging on this shard: from the driver's training state, {@code steps} optimizer steps
     * on the shard's share of steps {@code first}, {@code first + 1}, … (the data a synchronous run's shard would see).
     */
    Round round(float[] state, long iterations, long first, int steps, int shard) {
        return withReplica(r -> {
            r.model().setTrainingState(Nd4j.createFromArray(state), iterations);
            double[][] perExample = new double[steps][];
            int[][] levels = new int[steps][];
            double[] norms = new double[steps];
            for (int j = 0; j < steps; j++) {
                TrainingStep.Shard part = r.step().shard(r.model(), first + j, shard, shards);
                perExample[j] = part.perExample();
                levels[j] = part.levels();
                String problem = null;
                if (part.gradient() == null) {
                    problem = "the loss of shard " + shard + " is not finite";
                } else {
                    try {
                        norms[j] = r.model().applyParameterGradient(Nd4j.createFromArray(part.gradient()).divi(part.levels().length));
                    } catch (org.score4j.api.NonFiniteException e) {
                        problem = "on shard " + shard + ": " + e.getMessage();
                    }
                }
                if (problem != null) {
                    int n = j + 1;
                    return new Round(java.util.Arrays.copyOf(perExample, n), java.util.Arrays.copyOf(levels, n),
                            java.util.Arrays.copyOf(norms, n), null, problem);
                }
            }
            return new Round(perExample, levels, norms, r.model().trainingState().toFloatVector(), null);
        });
    }

    /** Runs {@code work} on a free replica of this executor, made on first need. */
    private <T> T withReplica(java.util.function.Function<Replica, T> work) {
        Queue<Replica> free = replicas();
        Replica r = free.poll();
        if (r == null) {
            r = replica();
        }
        try {
            return work.apply(r);
        } finally {
            free.add(r);
        }
    }

    private Queue<Replica> replicas() {
        Queue<Replica> q = REPLICAS.get(this);
        if (q == null) {
            // One training at a time per executor: the replicas of an earlier one are let go.
            REPLICAS.keySet().removeIf(k -> !k.equals(this));
            q = REPLICAS.computeIfAbsent(this, k -> new ConcurrentLinkedQueue<>());
        }
        return q;
    }

    private Replica replica() {
        Workflow workflow = ExecutorContext.workflow(plugins);
        ResolvedRun run = workflow.resolve(ConfigFactory.parseString(config));
        return new Replica(new TrainingStep(run.data(), run.objective(), run.schedule(), run.train().batchSize(), run.seed()),
                Trainer.newModel(run, scale));
    }
}
