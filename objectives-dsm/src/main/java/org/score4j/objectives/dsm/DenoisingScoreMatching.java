package org.score4j.objectives.dsm;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.Loss;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;
import org.score4j.api.Tensors;
import org.score4j.api.random.RandomSource;

/**
 * Denoising score matching. Each example gets one level σ drawn uniformly from the schedule and is
 * perturbed, x̃ = x + σz; its loss is ½·λ(σ)·‖s(x̃, σ) + z/σ‖² (the target −z/σ is the score of
 * the perturbation kernel). With λ(σ) = σ² this is NCSN's multi-scale loss ½‖σ·s + z‖²; with a
 * single-level schedule it is plain DSM.
 */
public final class DenoisingScoreMatching implements Objective {

    /** The weight λ(σ) of a level in the loss. */
    public enum Weighting {
        /** λ(σ) = σ²: every level contributes on the same scale (NCSN). */
        SIGMA_SQUARED,
        /** λ(σ) = 1. */
        UNIFORM;

        double of(double sigma) {
            return this == SIGMA_SQUARED ? sigma * sigma : 1;
        }
    }

    private final Weighting weighting;

    public DenoisingScoreMatching(Weighting weighting) {
        this.weighting = Objects.requireNonNull(weighting, "weighting");
    }

    @Override
    public Batch prepare(INDArray data, NoiseSchedule schedule, RandomSource rng) {
        int n = (int) data.size(0);
        int[] levels = schedule.drawLevels(n, rng);
        double[] sig = schedule.sigmasOf(levels);
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = weighting.of(sig[i]);
        }
        INDArray sigmas = Nd4j.createFromArray(sig).castTo(data.dataType());
        INDArray z = rng.normal(data.shape()).castTo(data.dataType());
        INDArray inputs = data.add(Tensors.scaleRows(z, sigmas));
        INDArray target = Tensors.divideRows(z, sigmas).negi();
        INDArray weights = Nd4j.createFromArray(lambda).castTo(data.dataType());
        return new DsmBatch(inputs, sigmas, levels, target, weights);
    }

    private record DsmBatch(INDArray inputs, INDArray sigmas, int[] levels, INDArray target, INDArray weights)
            implements Batch {
        @Override
        public Loss loss(INDArray scores) {
            INDArray residual = scores.castTo(target.dataType()).sub(target);
            INDArray perExample = Tensors.rowSquaredNorms(residual).muli(weights).muli(0.5);
            INDArray gradient = Tensors.scaleRows(residual, weights);
            return new Loss(perExample.meanNumber().doubleValue(), perExample, gradient);
        }
    }
}
