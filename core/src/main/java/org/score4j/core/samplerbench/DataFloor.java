package org.score4j.core.samplerbench;

/**
 * What fresh draws of the data itself score, as many as the chains: the noise floor under every error of a problem.
 *
 * @param modeWeightError the mode-weight error of the fresh draws
 * @param slicedW2        their sliced W2 to the reference data
 * @param mmd2            their MMD² to the reference data
 * @param bandwidth       the RBF bandwidth (the median distance between reference points)
 */
public record DataFloor(double modeWeightError, double slicedW2, double mmd2, double bandwidth) {
}
