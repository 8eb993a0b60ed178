package org.score4j.api.spi;

import com.typesafe.config.Config;

/**
 * Creates one kind of component from its configuration section.
 *
 * @param <T> what it creates
 */
public interface ComponentFactory<T> {

    /** The name a configuration selects this component by: lower-case letters, digits and '-'. */
    String name();

    /** One line saying what the component does, shown by {@code score4j plugins}. */
    String description();

    /**
     * Every key this component reads, with its default value. Comments above a key document it.
     * Keys not listed here are rejected when a user sets them.
     */
    Config defaults();

    /**
     * Creates the component. Read every value through {@code settings}, which records problems
     * (bad values, failed {@link Settings#require} checks) instead of throwing; finish with
     * {@link Settings#build}, which throws a {@link SettingsException} listing every problem.
     */
    T create(Settings settings);
}
