/**
 * The contracts of score4j: score functions and trainable score models, objectives, noise
 * schedules, samplers and data sets.
 *
 * <h2>Conventions shared by every type in this package</h2>
 * <ul>
 *   <li><b>Tensors.</b> A batch of examples is an {@code INDArray} of shape {@code [N, shape...]}
 *       ({@code [N, d]} for vectors, {@code [N, C, H, W]} for images), data type {@code FLOAT}.
 *       Noise levels are a vector {@code [N]}: one σ per row, in the units of the data.</li>
 *   <li><b>Scores.</b> A score is ∇ₓ log q_σ(x), the gradient of the log-density of the data
 *       perturbed with Gaussian noise, x̃ = x + σz, z ~ N(0, I). It has the shape of x.</li>
 *   <li><b>Levels.</b> A {@link org.score4j.api.NoiseSchedule} orders its levels from the largest
 *       σ₁ (index 0) to the smallest σ_L (index L−1).</li>
 *   <li><b>Step sizes.</b> Langevin steps use the form of the NCSN paper:
 *       x ← x + (α/2)·s(x) + √α·z. The NCSN reference code writes x ← x + a·s + √(2a)·z, so its
 *       {@code step_lr} is α/2; score SDE's annealed-Langevin corrector uses α = 2(snr·σ)².</li>
 *   <li><b>Inputs are never modified</b> by a component unless its contract says so; results are
 *       new arrays.</li>
 * </ul>
 */
package org.score4j.api;
