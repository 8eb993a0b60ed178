package org.score4j.api.spi;

import java.util.Optional;
import org.score4j.api.ScoreModel;

/** A validated model architecture, ready to be built for a data set. */
public interface ModelBlueprint {

    /**
     * Builds a freshly initialised model; the same spec (seed included) gives the same parameters. The runner calls
     * it only for a spec without an {@link #incompatibility} whose {@link #footprint} fits its memory budget.
     */
    ScoreModel build(ModelSpec spec);

    /**
     * The size of the model {@link #build} would make for {@code spec} (a spec without an {@link #incompatibility}),
     * computed without allocating.
     */
    ModelFootprint footprint(ModelSpec spec);

    /**
     * Why this architecture cannot be built for {@code spec} — examples of its shape (a convolutional network given
     * vectors), or its classes (a network with no way to take labels) — or empty if it can. The runner asks before
     * anything runs and reports the reason as a configuration problem. The spec's data scale and seed are not known
     * yet then and must not matter.
     */
    default Optional<String> incompatibility(ModelSpec spec) {
        return Optional.empty();
    }
}
