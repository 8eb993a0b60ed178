/**
 * Likelihoods of a score model by the probability-flow ODE of the variance-exploding SDE and the instantaneous change
 * of variables (DESIGN §8): {@link org.score4j.core.likelihood.ProbabilityFlowLikelihood} integrates each example
 * from σ_min to σ_max together with the divergence of the drift, estimated exactly ({@link
 * org.score4j.core.likelihood.ExactTrace}) or by Hutchinson's estimator ({@link
 * org.score4j.core.likelihood.Hutchinson}), and returns negative log-likelihoods in nats ({@link
 * org.score4j.core.likelihood.LikelihoodResult}); {@link org.score4j.core.likelihood.BitsPerDim} converts them for
 * images.
 */
package org.score4j.core.likelihood;
