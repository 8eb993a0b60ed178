package org.score4j.spark;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.StepListener;
import org.score4j.api.tensors.Tensors;
import org.score4j.core.app.Application;
import org.score4j.core.config.MemoryBudget;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.sampling.ChainSampling;
import org.score4j.core.sampling.Trajectory;
import org.score4j.core.training.Checkpoints;

/**
 * Samples one batch of chains of a run on an executor: the batch {@link ChainSampling#run} would draw in the same
 * place, from the same per-chain streams, so the batches concatenated in order equal a run in one process.
 *
 * @param checkpoint the checkpoint file's bytes, broadcast once per executor
 * @param config     the run's resolved configuration
 * @param plugins    the plugin jars shipped with the job, by file name
 */
record SampleTask(Broadcast<byte[]> checkpoint, String config, List<String> plugins) implements Serializable {

    /**
     * A batch's chains: their shape and values in C order; for the first batch of a run that draws a trajectory grid,
     * also the {@link Trajectory#snapshots} of its first chains (each {@code snapshotShape}), else none.
     */
    record Batch(int index, long[] shape, float[] values, long[] snapshotShape, float[][] snapshots) implements Serializable {
    }

    Batch run(int b) {
        Application app = ExecutorContext.application(plugins);
        ResolvedRun run = app.resolve(ConfigFactory.parseString(config));
        Path file = null;
        try {
            file = Files.createTempFile("score4j-checkpoint", ".safetensors");
            Files.write(file, checkpoint.value());
            var model = app.steps().restore(Checkpoints.read(file, MemoryBudget.bytes())).model();
            Trajectory trajectory = b == 0 && Trajectory.drawn(run) ? Trajectory.of(run) : null;
            INDArray x = new ChainSampling(model, run.sampler(), run.grid(), run.sample(), run.seed(),
                    run.data().exampleShape()).batch(b, trajectory != null ? trajectory : StepListener.NONE);
            List<INDArray> snapshots = trajectory != null ? trajectory.snapshots() : List.of();
            return new Batch(b, x.shape(), Tensors.floats(x), snapshots.isEmpty() ? null : snapshots.get(0).shape(),
                    snapshots.stream().map(Tensors::floats).toArray(float[][]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }
}
