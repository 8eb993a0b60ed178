package org.score4j.api.spi;

import java.util.Optional;
import org.score4j.api.ScoreModel;

/** A validated model architecture, ready to be built for a data set. */
public interface ModelBlueprint {

    /**
     * Builds a freshly initialised model; the same spec (seed included) gives the same parameters. The runner calls
     * it only for a spec whose {@link #footprint} fits its memory budget and whose shape has no
     * {@link #incompatibility}.
     */
    ScoreModel build(ModelSpec spec);

    /**
     * The size of the model {@link #build} would make for {@code spec}, computed without allocating.
     */
    ModelFootprint footprint(ModelSpec spec);

    /**
     * Why this architecture cannot take examples of {@code exampleShape} (e.g. a convolutional network given vectors),
     * or empty if it can. The runner asks before anything runs and reports the reason as a configuration problem.
     */
    default Optional<String> incompatibility(long[] exampleShape) {
        return Optional.empty();
    }
}
