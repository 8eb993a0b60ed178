package org.score4j.objectives.ssm;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Tensors;
import org.score4j.api.random.RandomSource;

/** Where score matching looks at the data: perturbed at a noise level per example, or as it is. */
public enum Conditioning {
    /**
     * Each example gets a level σ uniform over the schedule and is perturbed, x̃ = x + σz; its loss
     * is weighted by σ² so that every level contributes on one scale (NCSN's annealed form). A model
     * trained this way serves the annealed sampler like a DSM-trained one.
     */
    NOISE_CONDITIONAL,
    /**
     * Score matching on the clean data, the model conditioned on the schedule's smallest σ, weight 1:
     * the naive form, which has no signal off the data manifold.
     */
    CLEAN;

    /** The points, levels and weights of one minibatch. */
    record Draw(INDArray points, int[] levels, double[] sigmas, double[] weights) {
    }

    Draw draw(INDArray data, NoiseSchedule schedule, RandomSource rng) {
        int n = (int) data.size(0);
        if (this == CLEAN) {
            int[] levels = new int[n];
            Arrays.fill(levels, schedule.size() - 1);
            double[] ones = new double[n];
            Arrays.fill(ones, 1.0);
            return new Draw(data.dup(), levels, schedule.sigmasOf(levels), ones);
        }
        int[] levels = schedule.drawLevels(n, rng);
        double[] sigmas = schedule.sigmasOf(levels);
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            weights[i] = sigmas[i] * sigmas[i];
        }
        INDArray z = rng.normal(data.shape()).castTo(data.dataType());
        INDArray perSigma = Nd4j.createFromArray(sigmas).castTo(data.dataType());
        return new Draw(data.add(Tensors.scaleRows(z, perSigma)), levels, sigmas, weights);
    }
}
