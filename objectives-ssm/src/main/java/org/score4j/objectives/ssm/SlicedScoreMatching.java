package org.score4j.objectives.ssm;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;
import org.score4j.api.SigmaDistribution;
import org.score4j.api.random.RandomSource;

/**
 * Sliced score matching, E_v E_x [vᵀ∇ₓs(x)v + ½(vᵀs(x))²], or its variance-reduced form with
 * ½‖s(x)‖² in place of ½(vᵀs(x))². The Jacobian term is a central difference along v (FD-SSM):
 * the model is evaluated at x ± εv in one batch of 2·K·N points, so no second derivative of the
 * network is needed. ε = {@code relativeStep}·σ follows the scale of the data at each level.
 */
public final class SlicedScoreMatching implements Objective {

    private final Projection projection;
    private final int projections;
    private final boolean varianceReduced;
    private final Conditioning conditioning;
    private final SigmaDistribution sigmaDistribution;
    private final double relativeStep;

    /**
     * @param projection      the distribution of v
     * @param projections     K ≥ 1 directions per example
     * @param varianceReduced use ½‖s‖² (SSM-VR) instead of ½(vᵀs)²
     * @param conditioning    where the data is looked at and how levels are weighted
     * @param sigmaDistribution how a noise-conditional draw picks each example's σ
     * @param relativeStep    ε/σ of the central difference, in (0, 1)
     */
    public SlicedScoreMatching(Projection projection, int projections, boolean varianceReduced,
                               Conditioning conditioning, SigmaDistribution sigmaDistribution, double relativeStep) {
        this.projection = Objects.requireNonNull(projection, "projection");
        this.conditioning = Objects.requireNonNull(conditioning, "conditioning");
        this.sigmaDistribution = Objects.requireNonNull(sigmaDistribution, "sigmaDistribution");
        if (projections < 1) {
            throw new IllegalArgumentException("projections must be ≥ 1, got " + projections);
        }
        if (!(relativeStep > 0 && relativeStep < 1)) {
            throw new IllegalArgumentException("relative step must be in (0, 1), got " + relativeStep);
        }
        this.projections = projections;
        this.varianceReduced = varianceReduced;
        this.relativeStep = relativeStep;
    }

    @Override
    public Batch prepare(INDArray data, NoiseSchedule schedule, RandomSource rng) {
        Conditioning.Draw draw = conditioning.draw(data, schedule, sigmaDistribution, rng);
        long n = data.size(0);
        INDArray directions = projection.draw(rng, n * projections, data.length() / n);
        return new FiniteDifferenceBatch(draw, directions, projections, 1.0 / projections,
                varianceReduced ? FiniteDifferenceBatch.NormTerm.FULL : FiniteDifferenceBatch.NormTerm.PROJECTED,
                relativeStep);
    }
}
