/**
 * The engine's layers, each one class implementing {@link org.score4j.nn.Layer} with its own activations type and a
 * static {@code declare} of its parameter parts: {@link org.score4j.nn.layers.Convolution},
 * {@link org.score4j.nn.layers.Dense}, {@link org.score4j.nn.layers.Swish}, {@link org.score4j.nn.layers.GroupNorm}
 * and {@link org.score4j.nn.layers.SelfAttention}. Each is tested against its SameDiff expression in
 * {@link org.score4j.nn.samediff.SameDiffLayers} and against finite differences.
 */
package org.score4j.nn.layers;
