package org.score4j.api.spi;

import org.score4j.api.ScoreModel;

/** A validated model architecture, ready to be built for a data set. */
@FunctionalInterface
public interface ModelBlueprint {

    /** Builds a freshly initialised model; the same spec (seed included) gives the same parameters. */
    ScoreModel build(ModelSpec spec);
}
