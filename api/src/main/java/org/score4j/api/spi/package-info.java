/**
 * The plugin SPI.
 *
 * <p>A plugin jar lists one {@link org.score4j.api.spi.Score4jPlugin} implementation in
 * {@code META-INF/services/org.score4j.api.spi.Score4jPlugin}. The plugin offers <em>named
 * factories</em> for the kinds of component it contributes; a run's configuration picks each
 * component by its name ({@code objective.name = dsm}) and hands the rest of that section to the
 * factory as {@link org.score4j.api.spi.Settings}.
 *
 * <p>Names are short, lower-case and stable ({@code dsm}, {@code annealed-langevin}); they are the
 * user interface, never class names. Two components of one kind with the same name stop the start-up.
 * A factory declares every key it reads, with its default, in {@link org.score4j.api.spi.ComponentFactory#defaults()};
 * a comment line above a key in that HOCON text is the key's documentation.
 */
package org.score4j.api.spi;
