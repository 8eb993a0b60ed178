package org.score4j.api.spi;

import java.util.function.Function;
import org.score4j.api.Optimizer;

/** A named factory of optimizers, selected by the {@code name} key of the {@code optimizer} section. */
public interface OptimizerFactory extends ComponentFactory<Optimizer> {

    /**
     * A factory named {@code name}: {@code description} is its line in {@code score4j plugins}, {@code defaults} the
     * HOCON text of every key it reads with its default (comments above a key document it), {@code create} reads the
     * settings and builds the component (finishing with {@link Settings#build}).
     */
    static OptimizerFactory of(String name, String description, String defaults,
                   Function<Settings, Optimizer> create) {
        final class Of extends DescribedFactory<Optimizer> implements OptimizerFactory {
            Of() {
                super(name, description, defaults, create);
            }
        }
        return new Of();
    }
}
