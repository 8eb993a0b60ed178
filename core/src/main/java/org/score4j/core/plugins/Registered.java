package org.score4j.core.plugins;

import java.util.Objects;
import org.score4j.api.spi.ComponentFactory;
import org.score4j.core.plugins.ComponentKind;

/**
 * A discovered component factory and where it came from.
 *
 * @param kind    its kind
 * @param factory the factory
 * @param source  the jar or directory it was loaded from, as shown to users
 */
public record Registered(ComponentKind kind, ComponentFactory<?> factory, String source) {

    /** The jar (or classes directory) the factory's class was loaded from, or null when it cannot be told. */
    public java.nio.file.Path location() {
        try {
            var cs = factory.getClass().getProtectionDomain().getCodeSource();
            return cs == null || cs.getLocation() == null ? null : java.nio.file.Path.of(cs.getLocation().toURI());
        } catch (java.net.URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }
    public Registered {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(source, "source");
    }
}
