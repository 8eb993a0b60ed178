package org.score4j.core.training;

import java.util.List;
import org.score4j.api.ScoreModel;
import org.score4j.api.spi.ModelSpec;

/**
 * What training produced.
 *
 * @param model      the trained model, scoring with the moving average where the run keeps one
 * @param state      the training state it ended in
 * @param spec       the spec the model was built with (its data scale included)
 * @param steps      optimizer steps taken
 * @param seconds    wall-clock seconds of training (over every resumed part)
 * @param finalLoss  mean loss over the last tenth of the steps
 * @param binLoss    mean loss per σ bin (largest σ first) over the last tenth of the steps
 * @param binCentres the σ bins' centres: the training schedule's levels
 * @param curve      the training log: one row per logged step
 */
public record TrainingResult(ScoreModel model, TrainingState state, ModelSpec spec, long steps, double seconds,
                             double finalLoss, double[] binLoss, double[] binCentres, List<TrainingLog.Row> curve) {
    public TrainingResult {
        binLoss = binLoss.clone();
        binCentres = binCentres.clone();
        curve = List.copyOf(curve);
    }

    /** The data's standard deviation the model was built with. */
    public double dataScale() {
        return spec.dataScale();
    }

    @Override
    public double[] binLoss() {
        return binLoss.clone();
    }

    @Override
    public double[] binCentres() {
        return binCentres.clone();
    }
}
