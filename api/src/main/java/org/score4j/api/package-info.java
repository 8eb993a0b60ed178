/**
 * The contracts of score4j: score functions and score networks, objectives, noise schedules and sampling grids,
 * samplers, data sets, optimizers and learning-rate schedules.
 *
 * <h2>Conventions shared by every type in this package</h2>
 * <ul>
 *   <li><b>Tensors.</b> A batch of examples is an {@code INDArray} of shape {@code [N, shape...]}
 *       ({@code [N, d]} for vectors, {@code [N, C, H, W]} for images), data type {@code FLOAT}.
 *       Noise levels are a vector {@code [N]}: one σ per row, in the units of the data (a standard deviation).</li>
 *   <li><b>Scores.</b> A score is ∇ₓ log q_σ(x), the gradient of the log-density of the data
 *       perturbed with Gaussian noise, x̃ = x + σz, z ~ N(0, I) (the variance-exploding SDE's marginal at σ).
 *       It has the shape of x. The denoiser is D(x, σ) = x + σ²·s(x, σ) (Tweedie).</li>
 *   <li><b>Levels.</b> A {@link org.score4j.api.NoiseSchedule} orders its levels from the largest
 *       σ₁ (index 0) to the smallest σ_L (index L−1); a {@link org.score4j.api.SamplingGrid} likewise, and may end
 *       with 0.</li>
 *   <li><b>Step sizes.</b> Langevin steps use the form of the NCSN paper, x ← x + (α/2)·s(x) + √α·z; conversions
 *       from the other forms in use are in {@link org.score4j.api.LangevinStep}.</li>
 *   <li><b>Labels.</b> Class labels are ints in [0, C), {@link org.score4j.api.ConditionalScore#UNCONDITIONAL} (−1)
 *       asks for the unconditional score.</li>
 *   <li><b>Parameters.</b> A model's parameters, gradients and optimizer state are flat FLOAT vectors {@code [P]}.</li>
 *   <li><b>Inputs are never modified</b> by a component unless its contract says so; results are
 *       new arrays.</li>
 * </ul>
 */
package org.score4j.api;
