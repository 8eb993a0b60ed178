package org.score4j.runner.config;

import org.score4j.api.spi.ModelSpec;
import org.score4j.api.spi.Settings;

/** The {@code train} section. */
public record TrainSettings(int steps, int batchSize, ModelSpec.Optimizer optimizer, int checkpointEvery, int keepCheckpoints,
                            int logEvery) {

    static TrainSettings read(Settings s) {
        int steps = s.integer("steps", 1);
        int batch = s.integer("batch-size", 1);
        double lr = s.positive("learning-rate");
        double b1 = s.between("beta1", 0, 0.999999);
        double b2 = s.between("beta2", 0, 0.999999);
        double clip = s.atLeast("clip-norm", 0);
        double ema = s.between("ema-rate", 0, 0.999999);
        int every = s.integer("checkpoint-every", 1);
        int keep = s.integer("keep-checkpoints", 1);
        int log = s.integer("log-every", 1);
        return s.build(() -> new TrainSettings(steps, batch, new ModelSpec.Optimizer(lr, b1, b2, clip, ema), every, keep, log));
    }
}
