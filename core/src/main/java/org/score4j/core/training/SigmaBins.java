package org.score4j.core.training;

import java.util.Arrays;

/**
 * The bins the training log reports the loss in: one per level of the training schedule, that level its centre. An
 * example's σ falls in the bin whose centre is nearest in log σ, so a discrete schedule gives exactly one bin per level
 * and a continuous σ (log-uniform between the schedule's ends) gives bins of equal width in log σ around each level.
 */
public final class SigmaBins {
    private final double[] centres;
    private final double[] logCentres;

    /** @param centres the schedule's levels, largest first */
    public SigmaBins(double[] centres) {
        if (centres.length == 0) {
            throw new IllegalArgumentException("at least one bin");
        }
        this.centres = centres.clone();
        this.logCentres = Arrays.stream(centres).map(Math::log).toArray();
    }

    /** The number of bins. */
    public int size() {
        return centres.length;
    }

    /** The centres, largest first; a fresh array. */
    public double[] centres() {
        return centres.clone();
    }

    /** The bin of {@code sigma}. */
    public int of(double sigma) {
        double l = Math.log(sigma);
        int best = 0;
        double distance = Double.POSITIVE_INFINITY;
        for (int i = 0; i < logCentres.length; i++) {
            double d = Math.abs(l - logCentres[i]);
            if (d < distance) {
                distance = d;
                best = i;
            }
        }
        return best;
    }

    /** The bin of each σ. */
    public int[] of(double[] sigmas) {
        int[] out = new int[sigmas.length];
        for (int i = 0; i < sigmas.length; i++) {
            out[i] = of(sigmas[i]);
        }
        return out;
    }
}
