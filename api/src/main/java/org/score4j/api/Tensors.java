package org.score4j.api;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Per-row operations on batches of any rank, shared by objectives, samplers and models. */
public final class Tensors {
    private Tensors() {
    }

    /** A {@code [N, D]} view (or copy, if not c-ordered) of a batch {@code [N, shape...]}. */
    public static INDArray rows(INDArray batch) {
        long n = batch.size(0);
        INDArray c = batch.ordering() == 'c' && !batch.isView() ? batch : batch.dup('c');
        return c.reshape('c', n, c.length() / n);
    }

    /** A new array: row i of {@code batch} times {@code perRow[i]}; {@code perRow} has shape {@code [N]}. */
    public static INDArray scaleRows(INDArray batch, INDArray perRow) {
        return perRow(batch, perRow, false);
    }

    /** A new array: row i of {@code batch} divided by {@code perRow[i]}. */
    public static INDArray divideRows(INDArray batch, INDArray perRow) {
        return perRow(batch, perRow, true);
    }

    /** The sum over each row of {@code batch}'s squares, shape {@code [N]}, in the batch's data type. */
    public static INDArray rowSquaredNorms(INDArray batch) {
        int n = (int) batch.size(0);
        double[] v = doubles(batch);
        int d = n == 0 ? 0 : v.length / n;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = i * d; j < (i + 1) * d; j++) {
                sum += v[j] * v[j];
            }
            out[i] = sum;
        }
        return array(out, batch.dataType(), n);
    }

    /**
     * The values of {@code a} in C order, as floats: one copy out of the array's memory. Per-row arithmetic on batches
     * of a few thousand values is cheaper on the JVM than as ND4J operations, which cost 10–50 µs each whatever their
     * size.
     *
     * @since API 1.6
     */
    public static float[] floats(INDArray a) {
        return dense(a).data().asFloat();
    }

    /**
     * The values of {@code a} in C order, as doubles.
     *
     * @since API 1.6
     */
    public static double[] doubles(INDArray a) {
        return dense(a).data().asDouble();
    }

    /**
     * A new C-order array of {@code type} (a floating-point type) holding {@code values}, shape {@code shape}.
     *
     * @since API 1.6
     */
    public static INDArray array(double[] values, DataType type, long... shape) {
        if (type == DataType.DOUBLE) {
            return Nd4j.create(values, shape, 'c');
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return array(f, type, shape);
    }

    /**
     * A new C-order array of {@code type} (a floating-point type) holding {@code values}, shape {@code shape}.
     *
     * @since API 1.6
     */
    public static INDArray array(float[] values, DataType type, long... shape) {
        INDArray a = Nd4j.create(values, shape, 'c');
        return type == DataType.FLOAT ? a : a.castTo(type);
    }

    /** {@code a} itself when its buffer holds exactly its values in C order, else a C-order copy. */
    private static INDArray dense(INDArray a) {
        return a.ordering() == 'c' && !a.isView() && a.data().length() == a.length() ? a : a.dup('c');
    }

    private static INDArray perRow(INDArray batch, INDArray perRow, boolean divide) {
        int n = (int) batch.size(0);
        if (perRow.length() != n) {
            throw new IllegalArgumentException("need one value per row: " + perRow.length() + " values for " + n
                    + " rows");
        }
        double[] p = doubles(perRow);
        int d = n == 0 ? 0 : (int) (batch.length() / n);
        if (batch.dataType() == DataType.FLOAT) {
            // Float arithmetic, as ND4J would do it on a float batch.
            float[] v = floats(batch);
            for (int i = 0; i < n; i++) {
                float f = (float) p[i];
                for (int j = i * d; j < (i + 1) * d; j++) {
                    v[j] = divide ? v[j] / f : v[j] * f;
                }
            }
            return array(v, DataType.FLOAT, batch.shape());
        }
        double[] v = doubles(batch);
        for (int i = 0; i < n; i++) {
            for (int j = i * d; j < (i + 1) * d; j++) {
                v[j] = divide ? v[j] / p[i] : v[j] * p[i];
            }
        }
        return array(v, batch.dataType(), batch.shape());
    }

    /** True if every value is finite (one reduction: any NaN or infinity makes the sum non-finite). */
    public static boolean allFinite(INDArray a) {
        return Double.isFinite(a.sumNumber().doubleValue());
    }
}
