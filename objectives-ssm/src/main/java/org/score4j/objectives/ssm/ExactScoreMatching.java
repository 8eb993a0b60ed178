package org.score4j.objectives.ssm;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;
import org.score4j.api.SigmaDistribution;
import org.score4j.api.random.RandomSource;

/**
 * Score matching (Hyvärinen), E_x [tr ∇ₓs(x) + ½‖s(x)‖²], with the trace as d central differences
 * along the coordinate axes: 2·d model evaluations per example, so it is meant for low-dimensional
 * data and refuses data with more than {@code maxDimension} dimensions.
 */
public final class ExactScoreMatching implements Objective {

    private final int maxDimension;
    private final Conditioning conditioning;
    private final SigmaDistribution sigmaDistribution;
    private final double relativeStep;

    /**
     * @param maxDimension the largest d accepted
     * @param conditioning where the data is looked at and how levels are weighted
     * @param sigmaDistribution how a noise-conditional draw picks each example's σ
     * @param relativeStep ε/σ of the central differences, in (0, 1)
     */
    public ExactScoreMatching(int maxDimension, Conditioning conditioning, SigmaDistribution sigmaDistribution,
                              double relativeStep) {
        if (maxDimension < 1) {
            throw new IllegalArgumentException("max dimension must be ≥ 1, got " + maxDimension);
        }
        if (!(relativeStep > 0 && relativeStep < 1)) {
            throw new IllegalArgumentException("relative step must be in (0, 1), got " + relativeStep);
        }
        this.maxDimension = maxDimension;
        this.conditioning = Objects.requireNonNull(conditioning, "conditioning");
        this.sigmaDistribution = Objects.requireNonNull(sigmaDistribution, "sigmaDistribution");
        this.relativeStep = relativeStep;
    }

    @Override
    public Optional<String> incompatibility(long[] exampleShape) {
        long d = Arrays.stream(exampleShape).reduce(1, (a, b) -> a * b);
        if (d <= maxDimension) {
            return Optional.empty();
        }
        return Optional.of("exact score matching evaluates the model at 2·d points per example; the data has d = " + d
                + " dimensions " + Arrays.toString(exampleShape) + ", more than max-dimension = " + maxDimension
                + " (use ssm or ssm-vr, or raise max-dimension)");
    }

    @Override
    public Batch prepare(INDArray data, NoiseSchedule schedule, RandomSource rng) {
        long n = data.size(0);
        long[] shape = Arrays.copyOfRange(data.shape(), 1, data.rank());
        incompatibility(shape).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        int d = (int) (data.length() / n);
        Conditioning.Draw draw = conditioning.draw(data, schedule, sigmaDistribution, rng);
        INDArray axes = Nd4j.tile(Nd4j.eye(d).castTo(data.dataType()), (int) n, 1);
        return new FiniteDifferenceBatch(draw, axes, d, 1.0, FiniteDifferenceBatch.NormTerm.FULL, relativeStep);
    }
}
