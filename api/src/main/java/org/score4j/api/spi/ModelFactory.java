package org.score4j.api.spi;

import java.io.IOException;
import java.io.InputStream;
import org.score4j.api.ScoreModel;

/**
 * A named factory of score models. {@link #create} validates the architecture settings and returns
 * a {@link ModelBlueprint}; the model itself is built once the data's shape and scale are known.
 */
public interface ModelFactory extends ComponentFactory<ModelBlueprint> {

    /**
     * Restores a model written by {@link ScoreModel#save} of a model this factory built.
     *
     * @throws IOException when the stream is not such a model (the message says why)
     */
    ScoreModel load(InputStream in) throws IOException;
}
