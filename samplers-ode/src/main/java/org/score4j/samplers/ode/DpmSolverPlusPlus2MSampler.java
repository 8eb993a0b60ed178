package org.score4j.samplers.ode;

import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Sampler;
import org.score4j.api.SamplerStep;
import org.score4j.api.NonFiniteException;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.StepListener;
import org.score4j.api.random.RandomSource;

/**
 * DPM-Solver++(2M) (Lu, Zhou, Bao, Chen, Li and Zhu 2022, "DPM-Solver++: fast solver for guided sampling of diffusion
 * probabilistic models", Algorithm 2): a second-order multistep solver of the probability-flow ODE written with the
 * data prediction D(x, σ) = x + σ²·s(x, σ) ({@link ScoreFunction#denoise}). In the variance-exploding form (α = 1,
 * noise σ), with t = −log σ (the paper's λ = log(α/σ)):
 * <pre>
 * h_i = t_{i+1} − t_i = log(σ_i/σ_{i+1})
 * first order:   x_{i+1} = (σ_{i+1}/σ_i)·x_i + (1 − σ_{i+1}/σ_i)·D_i        (= (σ_{i+1}/σ_i)·x_i − expm1(−h_i)·D_i)
 * second order:  r_i = h_{i−1}/h_i,  D̃_i = (1 + 1/(2r_i))·D_i − (1/(2r_i))·D_{i−1},
 *                x_{i+1} = (σ_{i+1}/σ_i)·x_i + (1 − σ_{i+1}/σ_i)·D̃_i
 * </pre>
 * with D_i = D(x_i, σ_i). The first step is first order (there is no D_{i−1} yet), and so is the step to σ = 0, where
 * it is x ← D_i: the denoised estimate (as k-diffusion's {@code sample_dpmpp_2m}). The first-order step is DDIM's
 * deterministic step; on a Gaussian the second-order one converges as h². Karras et al.'s ρ-schedule followed by 0
 * suits it. Chains start from the prior N(0, σ₀²·I) ({@link Sampler.Start#PRIOR}).
 *
 * <p>Cost: one evaluation per step, n − 1 on n grid values. The listener hears each step with σ = σ_{i+1} and D_i as
 * the denoised estimate. A listener's change to the state is used from the next step on; D_{i−1} stays what the
 * previous step computed.
 */
public final class DpmSolverPlusPlus2MSampler implements Sampler {
    static final String NAME = "dpm-solver-pp-2m";

    @Override
    public INDArray sample(ScoreFunction score, SamplingGrid grid, INDArray start, RandomSource noise,
                           StepListener listener) {
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(listener, "listener");
        INDArray x = start.dup();
        INDArray previous = null;
        for (int i = 0; i + 1 < grid.size(); i++) {
            double sigma = grid.sigma(i);
            double next = grid.sigma(i + 1);
            INDArray denoised = score.denoise(x, sigma);
            if (next == 0) {
                x = denoised.dup();
            } else {
                double ratio = next / sigma;
                INDArray target = denoised;
                if (previous != null) {
                    double r = Math.log(grid.sigma(i - 1) / sigma) / Math.log(sigma / next);
                    target = denoised.mul(1 + 1 / (2 * r)).subi(previous.mul(1 / (2 * r)));
                }
                x = x.mul(ratio).addi(target.mul(1 - ratio));
            }
            previous = denoised;
            NonFiniteException.requireFiniteChains(x, NAME, i + 1, next, NonFiniteException.COARSE_GRID);
            listener.afterStep(new SamplerStep(i + 1, i + 1, next, x, denoised));
        }
        return x;
    }

    @Override
    public long evaluations(SamplingGrid grid) {
        return grid.size() - 1;
    }

    @Override
    public Optional<String> incompatibility(SamplingGrid grid) {
        return grid.needsTwoValues(NAME);
    }

    @Override
    public Start start() {
        return Start.PRIOR;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
