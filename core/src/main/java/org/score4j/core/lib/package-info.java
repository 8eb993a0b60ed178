/**
 * The fluent Java API over score4j's application: {@link org.score4j.core.lib.RunBuilder} and
 * {@link org.score4j.core.lib.StudyBuilder}, built from {@link org.score4j.core.lib.Score4j}, and the typed results they
 * return ({@link org.score4j.core.lib.TrainedRun}, {@link org.score4j.core.lib.Samples},
 * {@link org.score4j.core.lib.StudyResult}).
 */
package org.score4j.core.lib;
