package org.score4j.objectives.ssm;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.SigmaDistribution;
import org.score4j.api.tensors.Tensors;
import org.score4j.api.random.RandomSource;

/** Where score matching looks at the data: perturbed at a noise level per example, or as it is. */
public enum Conditioning {
    /**
     * Each example gets a noise level σ (a level of the schedule, or log-uniform between its ends) and is perturbed, x̃ = x + σz; its loss
     * is weighted by σ² so that every level contributes on one scale (NCSN's annealed form). A model
     * trained this way serves the annealed sampler like a DSM-trained one.
     */
    NOISE_CONDITIONAL,
    /**
     * Score matching on the clean data, the model conditioned on the schedule's smallest σ, weight 1:
     * the naive form, which has no signal off the data manifold.
     */
    CLEAN;

    /** The points, noise levels and weights of one minibatch. */
    record Draw(INDArray points, double[] sigmas, double[] weights) {
    }

    /**
     * @param distribution how a noise-conditional draw picks each example's σ (unused for {@link #CLEAN})
     */
    Draw draw(INDArray data, NoiseSchedule schedule, SigmaDistribution distribution, RandomSource rng) {
        int n = (int) data.size(0);
        if (this == CLEAN) {
            double[] smallest = new double[n];
            Arrays.fill(smallest, schedule.smallest());
            double[] ones = new double[n];
            Arrays.fill(ones, 1.0);
            return new Draw(data.dup(), smallest, ones);
        }
        double[] sigmas = distribution.draw(schedule, n, rng);
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            weights[i] = sigmas[i] * sigmas[i];
        }
        INDArray z = rng.normal(data.shape()).castTo(data.dataType());
        INDArray perSigma = Nd4j.createFromArray(sigmas).castTo(data.dataType());
        return new Draw(data.add(Tensors.scaleRows(z, perSigma)), sigmas, weights);
    }
}
