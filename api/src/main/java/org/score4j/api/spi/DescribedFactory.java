package org.score4j.api.spi;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Objects;
import java.util.function.Function;

/** The factory the kinds' {@code of} methods build: a name, a description, documented defaults and a reader. */
abstract class DescribedFactory<T> implements ComponentFactory<T> {
    private final String name;
    private final String description;
    private final Config defaults;
    private final Function<Settings, T> create;

    DescribedFactory(String name, String description, String defaults, Function<Settings, T> create) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
        this.defaults = ConfigFactory.parseString(Objects.requireNonNull(defaults, "defaults"));
        this.create = Objects.requireNonNull(create, "create");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final Config defaults() {
        return defaults;
    }

    @Override
    public final T create(Settings settings) {
        return create.apply(settings);
    }

    @Override
    public String toString() {
        return name;
    }
}
