/**
 * SameDiff on the engine's terms: {@link org.score4j.nn.samediff.SameDiffLayers}, each layer's reference expression
 * (the path of networks on backends other than the CPU); and the path for a third-party score network, whose author
 * writes only its forward computation as a {@link org.score4j.nn.samediff.ScoreGraph} and returns a
 * {@link org.score4j.nn.samediff.SameDiffBlueprint} from the model factory's {@code create}: the resulting
 * {@link org.score4j.nn.samediff.SameDiffScoreModel} has the flat parameters, both vector–Jacobian products and the
 * footprint a {@link org.score4j.api.ScoreModel} needs, and score4j's runner gives it training, checkpoints and
 * data-parallel training.
 */
package org.score4j.nn.samediff;
