package org.score4j.core.lib;

import java.util.List;
import org.score4j.core.training.TrainingLog;
import org.score4j.core.training.TrainingResult;

/**
 * What training gave, as {@code metrics.json}'s {@code train} section says it.
 *
 * @param steps          optimizer steps taken
 * @param seconds        wall-clock seconds of training
 * @param finalLoss      the mean loss over the last tenth of the steps
 * @param sigmaBins      the σ bins' centres (the training schedule's levels), largest first
 * @param lossPerBin     the final loss per σ bin
 * @param curve          the training log, one row per logged step
 */
public record TrainingSummary(long steps, double seconds, double finalLoss, double[] sigmaBins, double[] lossPerBin,
                              List<TrainingLog.Row> curve) {
    public TrainingSummary {
        sigmaBins = sigmaBins.clone();
        lossPerBin = lossPerBin.clone();
        curve = List.copyOf(curve);
    }

    static TrainingSummary of(TrainingResult t) {
        return new TrainingSummary(t.steps(), t.seconds(), t.finalLoss(), t.binCentres(), t.binLoss(), t.curve());
    }

    @Override
    public double[] sigmaBins() {
        return sigmaBins.clone();
    }

    @Override
    public double[] lossPerBin() {
        return lossPerBin.clone();
    }
}
