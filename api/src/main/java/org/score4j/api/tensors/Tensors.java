package org.score4j.api.tensors;

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
     * of a few thousand values is cheaper on the JVM than as ND4J operations, each of which has a fixed cost whatever
     * its size (docs/speed.md).
     *
     */
    public static float[] floats(INDArray a) {
        INDArray d = dense(a);
        if (d.dataType() != DataType.FLOAT || !HOST || d.length() == 0) {
            return d.data().asFloat();
        }
        float[] out = new float[(int) d.length()];
        nio(d).asFloatBuffer().get(out);
        java.lang.ref.Reference.reachabilityFence(d); // the buffer does not keep a copy's memory alive
        return out;
    }

    /**
     * The values of {@code a} in C order, as doubles.
     *
     */
    public static double[] doubles(INDArray a) {
        INDArray d = dense(a);
        if (!HOST || d.length() == 0 || (d.dataType() != DataType.FLOAT && d.dataType() != DataType.DOUBLE)) {
            return d.data().asDouble();
        }
        double[] out = new double[(int) d.length()];
        if (d.dataType() == DataType.DOUBLE) {
            nio(d).asDoubleBuffer().get(out);
        } else {
            java.nio.FloatBuffer values = nio(d).asFloatBuffer();
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i);
            }
        }
        java.lang.ref.Reference.reachabilityFence(d);
        return out;
    }

    /**
     * A new C-order array of {@code type} (a floating-point type) holding {@code values}, shape {@code shape}.
     *
     * @throws IllegalArgumentException if {@code shape} does not hold exactly {@code values.length} values
     */
    public static INDArray array(double[] values, DataType type, long... shape) {
        if (type == DataType.DOUBLE) {
            INDArray a = uninitialized(DataType.DOUBLE, values.length, shape);
            if (a == null) {
                return Nd4j.create(values, shape, 'c');
            }
            nio(a).asDoubleBuffer().put(values);
            return a;
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
     * @throws IllegalArgumentException if {@code shape} does not hold exactly {@code values.length} values
     */
    public static INDArray array(float[] values, DataType type, long... shape) {
        INDArray a = uninitialized(DataType.FLOAT, values.length, shape);
        if (a == null) {
            a = Nd4j.create(values, shape, 'c');
        } else {
            nio(a).asFloatBuffer().put(values);
        }
        return type == DataType.FLOAT ? a : a.castTo(type);
    }

    /**
     * A new C-order array of {@code shape} for {@code length} values to be copied in whole, or null where that copy
     * cannot go through its memory (an empty array, or one outside this process). ND4J's
     * {@code Nd4j.create(float[], ...)} writes value by value, several times slower than one bulk copy for the few
     * thousand values of a batch.
     */
    private static INDArray uninitialized(DataType type, int length, long[] shape) {
        long count = 1;
        for (long s : shape) {
            count *= s;
        }
        if (count != length) {
            throw new IllegalArgumentException(length + " values for shape " + java.util.Arrays.toString(shape));
        }
        return length == 0 || !HOST ? null : Nd4j.createUninitialized(type, shape, 'c');
    }

    /** Whether arrays live in this process's memory (the CPU backend), where they can be copied in bulk. */
    private static final boolean HOST = Nd4j.getEnvironment().isCPU();

    /** The memory of a dense array as a native-order buffer over its values. */
    private static java.nio.ByteBuffer nio(INDArray a) {
        long bytes = a.length() * a.dataType().width();
        java.nio.ByteBuffer b = a.data().asNio();
        return b.limit((int) bytes).order(java.nio.ByteOrder.nativeOrder());
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
