package org.score4j.api.spi;

/**
 * A named factory of score models. {@link #create} validates the architecture settings and returns a
 * {@link ModelBlueprint}; the model itself is built once the data's shape and scale are known. A model needs no save or
 * load of its own: a checkpoint holds its configuration section and its flat parameters, and is restored by creating
 * the blueprint again and setting the parameters.
 */
public interface ModelFactory extends ComponentFactory<ModelBlueprint> {
}
