package com.example.score4j;

import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.NonFiniteException;
import org.score4j.api.Sampler;
import org.score4j.api.SamplerStep;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.StepListener;
import org.score4j.api.random.RandomSource;
import org.score4j.api.tensors.Tensors;

/**
 * Ancestral sampling of the variance-exploding model (Song et al. 2021, "Score-based generative modeling through
 * stochastic differential equations", the ancestral sampler for SMLD models of its appendix, as its code's
 * {@code AncestralSamplingPredictor} for the VE SDE): from each grid value σ_i to the next, with
 * Δ_i = σ_i² − σ_{i+1}²,
 * <pre>x ← x + Δ_i·s(x, σ_i) + √(σ_{i+1}²·Δ_i/σ_i²)·z</pre>
 * the exact reverse step of the discrete Markov chain that adds noise from σ_{i+1} to σ_i, when the data are a single
 * point. A step to σ_{i+1} = 0 adds no noise and is the Tweedie step x + σ_i²·s(x, σ_i). Chains start from the prior
 * N(0, σ₀²·I) ({@link Sampler.Start#PRIOR}). One score evaluation per step; the listener hears each step with
 * σ = σ_{i+1}.
 *
 * <p>An example of a sampler written against the score4j API only: the grid, the listener, per-chain noise (row k of
 * every draw belongs to chain k) and a refusal of grids it cannot use.
 */
public final class AncestralSampler implements Sampler {
    static final String NAME = "ancestral";

    @Override
    public INDArray sample(ScoreFunction score, SamplingGrid grid, INDArray start, RandomSource noise,
                           StepListener listener) {
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(listener, "listener");
        INDArray x = start.dup();
        for (int i = 0; i + 1 < grid.size(); i++) {
            double sigma = grid.sigma(i);
            double next = grid.sigma(i + 1);
            double jump = sigma * sigma - next * next;
            x.addi(score.score(x, sigma).muli(jump));
            if (next > 0) {
                x.addi(noise.normal(x.shape()).castTo(x.dataType()).muli(Math.sqrt(next * next * jump) / sigma));
            }
            if (!Tensors.allFinite(x)) {
                throw new NonFiniteException(NAME + " diverged at step " + (i + 1) + " (σ = " + next
                        + "): a chain state is NaN or infinite");
            }
            listener.afterStep(new SamplerStep(i + 1, i + 1, next, x, next == 0 ? x.dup() : null));
        }
        return x;
    }

    @Override
    public long evaluations(SamplingGrid grid) {
        return grid.size() - 1;
    }

    @Override
    public Optional<String> incompatibility(SamplingGrid grid) {
        return grid.size() < 2 ? Optional.of(NAME + " steps from each grid value to the next and needs at least two "
                + "values, got " + grid) : Optional.empty();
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
