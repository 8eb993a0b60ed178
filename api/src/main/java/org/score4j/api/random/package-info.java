/**
 * Seeded random sources. Every random draw in score4j goes through a {@link org.score4j.api.random.RandomSource}
 * so that a run is reproducible from its seed.
 */
package org.score4j.api.random;
