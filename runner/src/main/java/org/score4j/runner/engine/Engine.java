package org.score4j.runner.engine;

import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.ProgressListener;
import org.score4j.runner.ProgressBar;
import org.score4j.runner.study.Cell;
import org.score4j.runner.study.StudyRunner;
import org.score4j.runner.training.TrainingResult;
import org.score4j.runner.wiring.ResolvedRun;

/**
 * Runs the heavy parts of the commands somewhere other than this process. Every method gives what the local path
 * gives for the same configuration: the same study table, the same samples bit for bit, an equivalent trained model.
 */
public interface Engine extends AutoCloseable {

    /**
     * Runs the cells of a study not finished before, as {@link StudyRunner#run} does locally, writing every cell's and
     * model's files under {@code out}; {@code runner} plans the study and reports progress.
     *
     * @return one outcome per cell, in the order of {@code cells}
     */
    List<StudyRunner.Outcome> runStudy(List<Cell> cells, List<ResolvedRun> runs, Path out, StudyRunner runner);

    /**
     * Draws the run's {@code sample.count} chains from the model of {@code checkpoint}, identical to
     * {@link org.score4j.runner.sampling.ChainSampling#run} in this process, recording the trajectory of its first chains
     * where {@link org.score4j.runner.sampling.Trajectory#drawn} says the run draws one.
     */
    Sampled sample(ResolvedRun run, Path checkpoint, ProgressListener progress);

    /**
     * @param samples    the samples, {@code [count, shape...]}
     * @param trajectory the {@link org.score4j.runner.sampling.Trajectory#snapshots} of the first chains, or empty
     */
    record Sampled(INDArray samples, List<INDArray> trajectory) {
        public Sampled {
            java.util.Objects.requireNonNull(samples, "samples");
            trajectory = List.copyOf(trajectory);
        }
    }

    /**
     * Trains the run's model data-parallel into {@code runDir} (checkpoints, training log), as
     * {@link org.score4j.runner.training.Trainer#train} does in this process.
     */
    TrainingResult train(ResolvedRun run, Path runDir, String configHash, String configText, ProgressBar progress);

    @Override
    void close();
}
