package org.score4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigValue;
import java.util.Map;
import org.score4j.api.spi.ComponentFactory;
import org.score4j.api.spi.Settings;

/** Checks of a factory's configuration surface. */
public final class ComponentContract {
    private ComponentContract() {
    }

    /**
     * The factory has a valid name and description, documents every default key with a comment,
     * builds from its defaults alone, reads exactly the keys it declares, and rejects an unknown key.
     *
     * @return the component built from the defaults
     */
    public static <T> T assertWellFormed(ComponentFactory<T> factory) {
        return assertWellFormed(factory, "");
    }

    /**
     * As {@link #assertWellFormed(ComponentFactory)} for a component that cannot be built from its defaults alone
     * (e.g. it needs a file): {@code required} gives the keys it needs, as HOCON.
     */
    public static <T> T assertWellFormed(ComponentFactory<T> factory, String required) {
        assertThat(factory.name()).as("component name").matches("[a-z][a-z0-9-]*");
        assertThat(factory.description()).as("description of %s", factory.name()).isNotBlank();
        for (Map.Entry<String, ConfigValue> e : factory.defaults().entrySet()) {
            assertThat(e.getValue().origin().comments()).as("comment documenting key '%s' of %s", e.getKey(), factory.name())
                    .isNotEmpty();
        }
        Settings settings = Settings.of(factory, required);
        T component = factory.create(settings);
        assertThat(component).isNotNull();
        assertThat(settings.problems()).as("problems with the defaults of %s", factory.name()).isEmpty();
        for (Map.Entry<String, ConfigValue> e : factory.defaults().entrySet()) {
            assertThat(settings.readKeys()).as("declared keys of %s that it never reads", factory.name())
                    .anyMatch(r -> e.getKey().equals(r) || e.getKey().startsWith(r + "."));
        }
        Settings typo = Settings.of(factory, required + "\nno-such-key-anywhere = 1");
        factory.create(typo);
        assertThat(typo.unreadProblems()).extracting(p -> p.key())
                .containsExactly(factory.name() + ".no-such-key-anywhere");
        return component;
    }
}
