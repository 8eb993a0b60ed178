package org.score4j.core.config;

import org.score4j.api.spi.Settings;

/**
 * The {@code train} section: how long, in what batches, with what clipping, moving average, checkpoints and logs, and
 * whether the model is class-conditional.
 *
 * @param clipNorm        clip the global gradient norm of the mean loss to this value; 0 disables clipping
 * @param emaRate         decay r of the moving average of the parameters that samples and metrics use, in [0, 1):
 *                        θ̄ ← r_t θ̄ + (1 − r_t) θ after step t, r_t = min(r, (1 + t)/(10 + t)); 0 scores with θ itself
 * @param conditional     train s(x, σ | y) on a labelled data set
 * @param labelDropout    the probability that an example's label is replaced by "unconditional" during training, so one
 *                        network gives both scores (classifier-free guidance)
 */
public record TrainSettings(int steps, int batchSize, double clipNorm, double emaRate, int checkpointEvery,
                            int keepCheckpoints, int logEvery, boolean conditional, double labelDropout) {

    /** The largest batch accepted: more would not fit the arrays' int indices anyway. */
    static final int MAX_BATCH = 1 << 20;

    static TrainSettings read(Settings s) {
        int steps = s.integer("steps", 1);
        int batch = s.integer("batch-size", 1);
        s.require(batch <= MAX_BATCH, "batch-size", "at most " + MAX_BATCH + ", got " + batch);
        double clip = s.atLeast("clip-norm", 0);
        double ema = s.between("ema-rate", 0, 0.999999);
        int every = s.integer("checkpoint-every", 1);
        int keep = s.integer("keep-checkpoints", 1);
        int log = s.integer("log-every", 1);
        boolean conditional = s.flag("conditional");
        double dropout = s.between("label-dropout", 0, 1);
        return s.build(() -> new TrainSettings(steps, batch, clip, ema, every, keep, log, conditional, dropout));
    }

    /** The moving average's weight of the old average after step {@code step} (1-based). */
    public double averageWeight(long step) {
        return Math.min(emaRate, (1.0 + step) / (10.0 + step));
    }
}
