package org.score4j.core.engine;

import java.util.List;
import org.score4j.core.RunProgress;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.output.RunDirectory;
import org.score4j.core.run.Sampled;
import org.score4j.core.run.TrainedModel;
import org.score4j.core.study.CellOutcome;
import org.score4j.core.study.StudyPlan;
import org.score4j.core.training.Checkpoints;
import org.score4j.core.training.TrainingResult;

/**
 * Where the heavy parts of a run go: this process ({@link LocalEngine}) or another (the spark engine's cluster). Every
 * engine gives what the local one gives for the same configuration: the same study table, the same samples bit for
 * bit, an equivalent trained model. Engines are opened once per command and closed after it.
 */
public interface Engine extends AutoCloseable {

    /** The engine's name, as {@code --engine} takes it. */
    String name();

    /**
     * Trains the run's model into {@code dir} (checkpoints, training log), continuing {@code resume} when it is not null.
     */
    TrainingResult train(ResolvedRun run, RunDirectory dir, Checkpoints.Loaded resume, RunProgress progress);

    /**
     * Draws the run's {@code sample.count} chains from {@code model}, identical to sampling it in this process, with the
     * trajectory of its first chains where the run draws one.
     */
    Sampled sample(ResolvedRun run, TrainedModel model, RunProgress progress);

    /**
     * Runs the cells of a study that are not finished, writing every cell's and model's files under the plan's
     * directory.
     *
     * @return one outcome per cell of the plan, in its order (the cells finished before included)
     */
    List<CellOutcome> runStudy(StudyPlan plan, RunProgress progress);

    @Override
    void close();
}
