package org.score4j.api.mixture;

import org.score4j.api.Dataset;

/**
 * A data set that is a Gaussian mixture, known exactly: its perturbed scores, densities and conditionals are closed
 * form, so evaluation can compare a learned score, samples and likelihoods with the truth.
 */
public interface MixtureDataset extends Dataset {

    /** The mixture the examples are drawn from. */
    GaussianMixture mixture();
}
