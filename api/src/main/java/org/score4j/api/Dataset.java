package org.score4j.api;

import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.random.RandomSource;

/**
 * A source of training (and evaluation) examples. Images are {@code [C, H, W]} examples with values in [0, 1]
 * (see each data set for its scaling and dequantisation). Capabilities some data sets have are interfaces of their own:
 * {@link LabelledDataset} (class labels), {@link FiniteDataset} (a finite list of examples),
 * {@link org.score4j.api.mixture.MixtureDataset} (a Gaussian mixture with exact scores and densities).
 */
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

    /**
     * Examples of the same kind kept out of training (e.g. a test split), for held-out metrics: denoising loss,
     * nearest-neighbour distances, classifier features. Empty when the data set has none.
     *
     * @since API 1.2
     */
    default Optional<Dataset> heldOut() {
        return Optional.empty();
    }

    /**
     * Examples with their class labels.
     *
     * @param examples {@code [n, shape...]}, FLOAT
     * @param labels   one label per example
     */
    record Labelled(INDArray examples, int[] labels) {
        public Labelled {
            java.util.Objects.requireNonNull(examples, "examples");
            labels = java.util.Objects.requireNonNull(labels, "labels").clone();
            if (labels.length != examples.size(0)) {
                throw new IllegalArgumentException(labels.length + " labels for " + examples.size(0) + " examples");
            }
        }

        @Override
        public int[] labels() {
            return labels.clone();
        }
    }
}
