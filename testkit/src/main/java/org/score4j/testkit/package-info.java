/**
 * Contract checks every score4j component should pass, for built-in and third-party plugins alike. Call them
 * from a JUnit 5 test of the component (the kit brings JUnit and AssertJ):
 * <ul>
 *   <li>{@link org.score4j.testkit.PluginContract}: the entry point is listed for {@code ServiceLoader}, declares its
 *       API version, and every component is well formed;</li>
 *   <li>{@link org.score4j.testkit.ComponentContract}: name, description, documented and read default keys, unknown
 *       keys rejected;</li>
 *   <li>{@link org.score4j.testkit.ObjectiveContract}: the gradient with respect to the model's outputs matches finite
 *       differences of the loss;</li>
 *   <li>{@link org.score4j.testkit.SamplerContract}: with an oracle (the exact score of a Gaussian mixture) a sampler
 *       reaches the mixture's weights;</li>
 *   <li>{@link org.score4j.testkit.ScheduleContract}: levels positive and strictly decreasing, level draws in range.</li>
 * </ul>
 */
package org.score4j.testkit;
