package org.score4j.core.samplerbench;

/**
 * What fresh draws of the data itself score, as many as the chains: the noise floor under every error of a problem.
 * Each figure is the mean over {@value #SETS} independent sets of fresh draws, with its standard deviation over them
 * (how much a single run's figure moves by chance alone).
 *
 * @param modeWeightError the mode-weight error of fresh draws
 * @param slicedW2        their sliced W2 to the reference data
 * @param mmd2            their MMD² to the reference data (about 0: the estimator is unbiased)
 * @param modeWeightErrorSd the standard deviation of {@code modeWeightError} over the sets
 * @param slicedW2Sd      that of {@code slicedW2}
 * @param mmd2Sd          that of {@code mmd2}
 * @param bandwidth       the RBF bandwidth (the median distance between reference points)
 */
public record DataFloor(double modeWeightError, double slicedW2, double mmd2, double modeWeightErrorSd,
                        double slicedW2Sd, double mmd2Sd, double bandwidth) {
    /** Sets of fresh draws the floor averages. */
    public static final int SETS = 8;
}
