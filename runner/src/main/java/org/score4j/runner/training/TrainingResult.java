package org.score4j.runner.training;

import java.util.List;
import org.score4j.api.ScoreModel;

/**
 * What training produced.
 *
 * @param model        the trained model
 * @param steps        optimizer steps taken
 * @param seconds      wall-clock seconds of training
 * @param finalLoss    mean loss over the last tenth of the steps
 * @param levelLoss    mean loss per level (largest σ first) over the last tenth of the steps
 * @param curve        the training log: one row per logged step
 * @param dataScale    the data's standard deviation the model was built with
 */
public record TrainingResult(ScoreModel model, long steps, double seconds, double finalLoss, double[] levelLoss,
                             List<TrainingLog.Row> curve, double dataScale) {
}
