/**
 * Per-row operations on batches and bulk copies between ND4J arrays and Java arrays, shared by objectives, samplers,
 * models and data sets, and the cache of ND4J's shape descriptors that score4j's entry points install. Depends on
 * ND4J's API alone.
 */
package org.score4j.api.tensors;
