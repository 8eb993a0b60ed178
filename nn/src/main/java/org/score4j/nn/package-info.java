/**
 * The layer contract of score4j's CPU engine: a {@link org.score4j.nn.Layer} computes y = f(x; θ) on
 * {@link org.score4j.nn.Planes} (feature maps in native memory, NHWC or in blocks of 16 channels), reads its
 * parameters from {@link org.score4j.nn.Weights} (a view of the network's flat parameter vector, laid out by a
 * {@link org.score4j.nn.ParameterLayout}), keeps what its backward pass needs in activations of its own type, and adds
 * its parameter gradient into {@link org.score4j.nn.Gradients}. The engine's layers are in
 * {@code org.score4j.nn.layers}, their kernels and oneDNN primitives in {@code org.score4j.nn.cpu}, their SameDiff
 * expressions (and the base for third-party networks written in SameDiff) in {@code org.score4j.nn.samediff}.
 * This package depends on none of them.
 */
package org.score4j.nn;
