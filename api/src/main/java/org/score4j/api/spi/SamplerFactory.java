package org.score4j.api.spi;

import java.util.function.Function;
import org.score4j.api.Sampler;

/** A named factory of samplers, selected by the {@code name} key of its configuration section. */
public interface SamplerFactory extends ComponentFactory<Sampler> {

    /**
     * A factory named {@code name}: {@code description} is its line in {@code score4j plugins}, {@code defaults} the
     * HOCON text of every key it reads with its default (comments above a key document it), {@code create} reads the
     * settings and builds the component (finishing with {@link Settings#build}).
     */
    static SamplerFactory of(String name, String description, String defaults,
                   Function<Settings, Sampler> create) {
        final class Of extends DescribedFactory<Sampler> implements SamplerFactory {
            Of() {
                super(name, description, defaults, create);
            }
        }
        return new Of();
    }
}
