package org.score4j.api.spi;

import java.util.function.Function;

/**
 * A named factory of score models. {@link #create} validates the architecture settings and returns a
 * {@link ModelBlueprint}; the model itself is built once the data's shape and scale are known. A model needs no save or
 * load of its own: a checkpoint holds its configuration section and its flat parameters, and is restored by creating
 * the blueprint again and setting the parameters.
 */
public interface ModelFactory extends ComponentFactory<ModelBlueprint> {

    /**
     * A factory named {@code name}: {@code description} is its line in {@code score4j plugins}, {@code defaults} the
     * HOCON text of every key it reads with its default (comments above a key document it), {@code create} reads the
     * settings and builds the component (finishing with {@link Settings#build}).
     */
    static ModelFactory of(String name, String description, String defaults,
                   Function<Settings, ModelBlueprint> create) {
        final class Of extends DescribedFactory<ModelBlueprint> implements ModelFactory {
            Of() {
                super(name, description, defaults, create);
            }
        }
        return new Of();
    }
}
