package org.score4j.runner.plugins;

import java.util.Objects;
import org.score4j.api.spi.ComponentFactory;
import org.score4j.runner.ComponentKind;

/**
 * A discovered component factory and where it came from.
 *
 * @param kind    its kind
 * @param factory the factory
 * @param source  the jar or directory it was loaded from, as shown to users
 */
public record Registered(ComponentKind kind, ComponentFactory<?> factory, String source) {
    public Registered {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(source, "source");
    }
}
