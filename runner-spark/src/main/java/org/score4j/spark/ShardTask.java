package org.score4j.spark;

import com.typesafe.config.ConfigFactory;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.ScoreModel;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.training.Models;
import org.score4j.core.training.TrainingState;
import org.score4j.core.training.TrainingStep;

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

    /** A replica: its own resolved run (data, objective), model and gradient array, used by one task at a time. */
    private record Replica(ResolvedRun run, TrainingStep step, ScoreModel model, INDArray gradient, TrainingState state) {
    }

    private static final Map<ShardTask, Queue<Replica>> REPLICAS = new ConcurrentHashMap<>();

    /**
     * What a shard computed.
     *
     * @param perExample each example's loss
     * @param sigmas     each example's noise level
     * @param gradient   ∂(summed loss of the shard)/∂θ, or null when the loss is not finite
     */
    record Shard(double[] perExample, double[] sigmas, float[] gradient) implements Serializable {
    }

    Shard run(float[] parameters, long step, int shard) {
        return withReplica(r -> {
            r.model().setParameters(Nd4j.createFromArray(parameters));
            TrainingStep.Computed c = r.step().compute(r.model(), step, shard, shards, r.gradient());
            return new Shard(c.perExample(), c.sigmas(), c.finite() ? r.gradient().toFloatVector() : null);
        });
    }

    /**
     * What a shard's replica did in a round of parameter averaging.
     *
     * @param perExample each local step's per-example losses
     * @param sigmas     each local step's noise levels
     * @param gradNorms  each local step's gradient norm (of the shard's mean loss)
     * @param state      the replica's training state after the round, or null when a step's loss or gradient was not
     *                   finite (that step is the last one listed)
     * @param problem    what was not finite, or null
     */
    record Round(double[][] perExample, double[][] sigmas, double[] gradNorms, float[] state, String problem)
            implements Serializable {
    }

    /**
     * A round of parameter averaging on this shard: from the driver's training state, {@code steps} optimizer steps
     * on the shard's share of steps {@code first}, {@code first + 1}, … (the data a synchronous run's shard would see).
     */
    Round round(float[] state, long taken, long first, int steps, int shard) {
        return withReplica(r -> {
            TrainingState local = r.state();
            local.restore(state, taken);
            double[][] perExample = new double[steps][];
            double[][] sigmas = new double[steps][];
            double[] norms = new double[steps];
            for (int j = 0; j < steps; j++) {
                r.model().setParameters(local.parameters());
                TrainingStep.Computed part = r.step().compute(r.model(), first + j, shard, shards, r.gradient());
                perExample[j] = part.perExample();
                sigmas[j] = part.sigmas();
                String problem = null;
                if (!part.finite()) {
                    problem = "the loss of shard " + shard + " is not finite";
                } else {
                    try {
                        norms[j] = local.apply(r.gradient(), part.examples(), r.run().optimizer(), r.run().lrSchedule(),
                                r.run().train().steps(), r.run().train().clipNorm(), r.run().train().emaRate());
                    } catch (org.score4j.api.NonFiniteException e) {
                        problem = "on shard " + shard + ": " + e.getMessage();
                    }
                }
                if (problem != null) {
                    int n = j + 1;
                    return new Round(java.util.Arrays.copyOf(perExample, n), java.util.Arrays.copyOf(sigmas, n),
                            java.util.Arrays.copyOf(norms, n), null, problem);
                }
            }
            return new Round(perExample, sigmas, norms, local.flatten(), null);
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
        ResolvedRun run = ExecutorContext.application(plugins).resolve(ConfigFactory.parseString(config));
        ScoreModel model = Models.build(run, Models.spec(run, scale));
        return new Replica(run, new TrainingStep(run), model, Nd4j.create(DataType.FLOAT, model.parameterCount()),
                TrainingState.fresh(model.parameters(), run.optimizer(), run.train().emaRate() > 0));
    }
}
