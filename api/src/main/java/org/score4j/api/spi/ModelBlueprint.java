package org.score4j.api.spi;

import java.util.Optional;
import org.score4j.api.ScoreModel;

/** A validated model architecture, ready to be built for a data set. */
@FunctionalInterface
public interface ModelBlueprint {

    /** Builds a freshly initialised model; the same spec (seed included) gives the same parameters. */
    ScoreModel build(ModelSpec spec);

    /**
     * Why this architecture cannot take examples of {@code exampleShape} (e.g. a convolutional network given
     * vectors), or empty if it can. The runner asks before anything runs and reports the reason as a
     * configuration problem; {@link #build} may then assume a supported shape.
     *
     * @since API 1.3
     */
    default Optional<String> incompatibility(long[] exampleShape) {
        return Optional.empty();
    }
}
