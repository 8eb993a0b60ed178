package org.score4j.objectives.dsm;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Loss;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;
import org.score4j.api.SigmaDistribution;
import org.score4j.api.tensors.Tensors;
import org.score4j.api.random.RandomSource;

/**
 * Denoising score matching. Each example gets one noise level σ (a level of the schedule drawn uniformly, or log-uniform
 * between its ends: {@link SigmaDistribution}) and is perturbed, x̃ = x + σz; its loss is ½·λ(σ)·‖s(x̃, σ) + z/σ‖² (the
 * target −z/σ is the score of the perturbation kernel). With λ(σ) = σ² this is NCSN's multi-scale loss ½‖σ·s + z‖²
 * (and, with log-uniform σ, the VE SDE's continuous form); with a single-level schedule it is plain DSM.
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
    private final SigmaDistribution sigmas;

    public DenoisingScoreMatching(Weighting weighting, SigmaDistribution sigmas) {
        this.weighting = Objects.requireNonNull(weighting, "weighting");
        this.sigmas = Objects.requireNonNull(sigmas, "sigmas");
    }

    @Override
    public Batch prepare(INDArray data, NoiseSchedule schedule, RandomSource rng) {
        int n = (int) data.size(0);
        double[] sigma = sigmas.draw(schedule, n, rng);
        long[] shape = data.shape();
        // A handful of values per example: one pass on the JVM rather than a dozen ND4J operations.
        double[] x = Tensors.doubles(data);
        float[] z = rng.normalValues(shape);
        int d = n == 0 ? 0 : x.length / n;
        double[] inputs = new double[x.length];
        double[] target = new double[x.length];
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            weights[i] = weighting.of(sigma[i]);
            for (int k = i * d; k < (i + 1) * d; k++) {
                inputs[k] = x[k] + sigma[i] * z[k];
                target[k] = -z[k] / sigma[i];
            }
        }
        DataType type = data.dataType();
        return new DsmBatch(Tensors.array(inputs, type, shape), Tensors.array(sigma, type, n), sigma, target, weights,
                type);
    }

    /** The batch, with the targets −z/σ and the weights λ(σ) per example kept on the JVM. */
    private record DsmBatch(INDArray inputs, INDArray sigmas, double[] perExampleSigma, double[] target,
                            double[] weights, DataType type) implements Batch {
        @Override
        public int[] rowExamples() {
            return java.util.stream.IntStream.range(0, weights.length).toArray();
        }

        @Override
        public double[] exampleSigmas() {
            return perExampleSigma.clone();
        }

        @Override
        public Loss loss(INDArray scores) {
            double[] s = Tensors.doubles(scores);
            if (s.length != target.length) {
                throw new IllegalArgumentException("expected scores of shape " + java.util.Arrays.toString(inputs.shape())
                        + ", got " + java.util.Arrays.toString(scores.shape()));
            }
            int n = weights.length;
            int d = n == 0 ? 0 : s.length / n;
            double[] perExample = new double[n];
            double[] gradient = new double[s.length];
            double total = 0;
            for (int i = 0; i < n; i++) {
                double squares = 0;
                for (int k = i * d; k < (i + 1) * d; k++) {
                    double residual = s[k] - target[k];
                    squares += residual * residual;
                    gradient[k] = weights[i] * residual;
                }
                perExample[i] = 0.5 * weights[i] * squares;
                total += perExample[i];
            }
            return new Loss(total / n, Tensors.array(perExample, type, n), Tensors.array(gradient, type, scores.shape()));
        }
    }
}
