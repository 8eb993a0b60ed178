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
        Queue<Replica> free = replicas();
        Replica r = free.poll();
        if (r == null) {
            r = replica();
        }
        try {
            r.model().setParameters(Nd4j.createFromArray(parameters));
            return r.step().shard(r.model(), step, shard, shards);
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
