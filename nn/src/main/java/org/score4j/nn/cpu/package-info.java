/**
 * The CPU engine behind the layers: oneDNN primitives (convolutions, matrix products, swish), vector-API passes over
 * native memory ({@link org.score4j.nn.cpu.VectorKernels}, {@link org.score4j.nn.cpu.PlanarKernels}) split over
 * score4j's threads ({@link org.score4j.nn.cpu.FusedKernels}), the dense layers of an MLP on ND4J arrays
 * ({@link org.score4j.nn.cpu.DenseStack}, {@link org.score4j.nn.cpu.MatrixProducts}), and the optimizers' fused steps.
 * Usable where {@link org.score4j.nn.cpu.FusedKernels#available()} (the CPU backend and the
 * {@code jdk.incubator.vector} module) and {@link org.score4j.nn.cpu.OneDnn#available()}.
 */
package org.score4j.nn.cpu;
