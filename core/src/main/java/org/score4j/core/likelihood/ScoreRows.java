package org.score4j.core.likelihood;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.InputGradient;
import org.score4j.api.ScoreFunction;
import org.score4j.api.tensors.Tensors;

/**
 * A score seen as a function of flat rows of doubles, as the divergence estimators build them: a call with M rows of D
 * values hands the score {@code [M, shape...]} in the score's data type and returns its answer as M·D doubles. Counts
 * the rows it evaluates.
 */
final class ScoreRows {
    private final ScoreFunction score;
    private final long[] exampleShape;
    private final int dimension;
    private final DataType type;
    private long rows;

    ScoreRows(ScoreFunction score, long[] exampleShape, DataType type) {
        this.score = score;
        this.exampleShape = exampleShape.clone();
        long d = 1;
        for (long s : exampleShape) {
            d *= s;
        }
        this.dimension = Math.toIntExact(d);
        this.type = type;
    }

    int dimension() {
        return dimension;
    }

    /** Score rows evaluated so far (forward passes and input gradients alike). */
    long rows() {
        return rows;
    }

    /** {@code v} as the score will see it: rounded to float for a FLOAT score. */
    double representable(double v) {
        return type == DataType.FLOAT ? (float) v : v;
    }

    boolean hasInputGradient() {
        return score instanceof InputGradient;
    }

    /** s(x, σ) for {@code m} rows {@code x} (m·D values). */
    double[] score(double[] x, int m, double sigma) {
        INDArray out = score.score(Tensors.array(x, type, shape(m)), sigma);
        rows += m;
        return checked(out, m, "score");
    }

    /** gᵀ·∂s(x, σ)/∂x for {@code m} rows; the score must be an {@link InputGradient}. */
    double[] inputGradient(double[] x, int m, double sigma, double[] g) {
        INDArray sigmas = Nd4j.valueArrayOf(new long[] {m}, sigma, type);
        INDArray out = ((InputGradient) score).inputGradient(Tensors.array(x, type, shape(m)), sigmas, null,
                Tensors.array(g, type, shape(m)));
        rows += m;
        return checked(out, m, "input gradient");
    }

    private double[] checked(INDArray out, int m, String what) {
        if (out == null || out.length() != (long) m * dimension) {
            throw new IllegalStateException("the score's " + what + " returned " + (out == null ? "null"
                    : Arrays.toString(out.shape())) + " for " + m + " rows of shape " + Arrays.toString(exampleShape));
        }
        return Tensors.doubles(out);
    }

    private long[] shape(int m) {
        long[] s = new long[exampleShape.length + 1];
        s[0] = m;
        System.arraycopy(exampleShape, 0, s, 1, exampleShape.length);
        return s;
    }
}
