/**
 * Gaussian mixtures: the one family of distributions whose perturbed scores are known exactly,
 * used as data, as oracle scores for samplers, and to measure learned scores.
 */
package org.score4j.api.mixture;
