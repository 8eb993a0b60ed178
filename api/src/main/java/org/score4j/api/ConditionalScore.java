package org.score4j.api;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A score that can be conditioned on a class label per row: s(x, σ | y), and the unconditional s(x, σ) for rows
 * labelled {@link #UNCONDITIONAL}. One network trained with label dropout gives both; classifier-free guidance
 * combines them ({@link #guided}).
 */
public interface ConditionalScore extends ScoreFunction {

    /** The label of a row that asks for the unconditional score. */
    int UNCONDITIONAL = -1;

    /** The number of classes: labels are in [0, classes()); 0 for a score that takes no labels. */
    int classes();

    /**
     * Evaluates the score of each row given its label.
     *
     * @param x      points, {@code [N, shape...]}; not modified
     * @param sigma  noise levels, {@code [N]}
     * @param labels one label per row, each in [0, {@link #classes()}) or {@link #UNCONDITIONAL}; null means every row
     *               unconditional
     * @return a new array with the shape of {@code x}
     * @throws IllegalArgumentException if a label is out of range or there is not one per row
     */
    INDArray score(INDArray x, INDArray sigma, int[] labels);

    /** The unconditional score. */
    @Override
    default INDArray score(INDArray x, INDArray sigma) {
        return score(x, sigma, null);
    }

    /**
     * The score given fixed labels, as a plain {@link ScoreFunction} any sampler can follow. Row k of every batch the
     * sampler evaluates gets {@code labels[k]}, so a sampler must evaluate all of its chains together (every built-in
     * sampler does).
     */
    static ScoreFunction given(ConditionalScore score, int[] labels) {
        Objects.requireNonNull(score, "score");
        int[] fixed = labels.clone();
        return (x, sigma) -> score.score(x, sigma, fixed);
    }

    /**
     * Classifier-free guidance: s = (1 + w)·s(x, σ | y) − w·s(x, σ). With w = 0 it is the conditional score itself
     * (one evaluation); otherwise each call evaluates the conditional and unconditional rows in one batch of 2N.
     *
     * @param weight the guidance weight w ≥ 0
     */
    static ScoreFunction guided(ConditionalScore score, int[] labels, double weight) {
        Objects.requireNonNull(score, "score");
        if (!(weight >= 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("guidance weight must be finite and >= 0, got " + weight);
        }
        if (weight == 0) {
            return given(score, labels);
        }
        int[] fixed = labels.clone();
        int[] both = new int[2 * fixed.length];
        System.arraycopy(fixed, 0, both, 0, fixed.length);
        java.util.Arrays.fill(both, fixed.length, both.length, UNCONDITIONAL);
        return (x, sigma) -> {
            long n = x.size(0);
            INDArray s = score.score(org.nd4j.linalg.factory.Nd4j.concat(0, x, x),
                    org.nd4j.linalg.factory.Nd4j.concat(0, sigma.reshape(n), sigma.reshape(n)), both);
            INDArray conditional = s.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n));
            INDArray unconditional = s.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n, 2 * n));
            return conditional.mul(1 + weight).subi(unconditional.mul(weight));
        };
    }
}
