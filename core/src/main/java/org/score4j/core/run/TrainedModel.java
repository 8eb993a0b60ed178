package org.score4j.core.run;

import java.nio.file.Path;
import java.util.Objects;
import org.score4j.api.ScoreModel;

/**
 * A trained model ready to sample: the model in this process (scoring with the parameters samples use) and the
 * checkpoint it is in, from which an engine's other machines restore it.
 */
public record TrainedModel(ScoreModel model, Path checkpoint) {
    public TrainedModel {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(checkpoint, "checkpoint");
    }
}
