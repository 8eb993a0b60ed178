package org.score4j.api;

import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.RandomSource;

/** A source of training (and evaluation) examples. */
public interface Dataset {

    /** Shape of one example, e.g. {@code [2]} for points in the plane. */
    long[] exampleShape();

    /**
     * Draws examples: fresh draws for a generative definition, draws with replacement for a finite
     * set of examples.
     *
     * @param n   number of examples, ≥ 1
     * @param rng random source
     * @return {@code [n, shape...]}, data type FLOAT
     */
    INDArray sample(int n, RandomSource rng);

    /**
     * A stable fingerprint of the content (a hash of a file, or of the defining parameters), recorded
     * in a run's provenance so a result can be tied to its data.
     */
    String fingerprint();

    /** The exact distribution when the data is a Gaussian mixture: enables exact-score metrics. */
    default Optional<GaussianMixture> mixture() {
        return Optional.empty();
    }
}
