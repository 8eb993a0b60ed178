package org.score4j.models.ncsn;

import static org.score4j.models.ncsn.NativeArrays.pointer;

import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The three matrix products of a dense layer, on float arrays: activations are [N, width] in C order, weights are
 * DL4J's [in, out] in Fortran order. On the CPU backend they call OpenBLAS's sgemm on the arrays' memory:
 * DL4J 1.0.0-M2.1's {@code INDArray.mmul} goes through a libnd4j op that was 20–40× slower than sgemm itself for a
 * 256×128×128 product on the oneDNN build, and {@code Nd4j.gemm} adds 50–300 µs a call. Any other backend uses
 * {@code Nd4j.gemm}.
 */
final class MatrixProducts {
    private static final boolean DIRECT = openBlasUsable();

    private final boolean direct;
    private INDArray ones;

    private MatrixProducts(boolean direct) {
        this.direct = direct;
    }

    /** Whether sgemm can be called directly: the CPU backend with its OpenBLAS. */
    static boolean directAvailable() {
        return DIRECT;
    }

    /** Direct sgemm where the backend allows it. */
    static MatrixProducts best() {
        return new MatrixProducts(DIRECT);
    }

    /** Always through ND4J, for tests of the other path. */
    static MatrixProducts viaNd4j() {
        return new MatrixProducts(false);
    }

    /** h·W: [N, in] times [in, out], written into c [N, out]; returns c. */
    INDArray forward(INDArray h, INDArray w, INDArray c) {
        int n = (int) h.size(0);
        int in = (int) w.size(0);
        int out = (int) w.size(1);
        h = dense(h, 'c');
        check(h, 'c', n, in);
        check(w, 'f', in, out);
        check(c, 'c', n, out);
        if (direct) {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasTrans, n, out, in, 1f, pointer(h), in, pointer(w), in, 0f, pointer(c), out);
        } else {
            Nd4j.gemm(h, w, c, false, false, 1.0, 0.0);
        }
        return c;
    }

    /** δ·Wᵀ: [N, out] times [out, in], the gradient with respect to the layer's input, written into c [N, in]. */
    INDArray backward(INDArray delta, INDArray w, INDArray c) {
        int n = (int) delta.size(0);
        int in = (int) w.size(0);
        int out = (int) w.size(1);
        delta = dense(delta, 'c');
        check(delta, 'c', n, out);
        check(w, 'f', in, out);
        check(c, 'c', n, in);
        if (direct) {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasNoTrans, n, in, out, 1f, pointer(delta), out, pointer(w), in, 0f, pointer(c), in);
        } else {
            Nd4j.gemm(delta, w, c, false, true, 1.0, 0.0);
        }
        return c;
    }

    /** hᵀ·δ written into {@code gradient}, the [in, out] Fortran-order view of the weights' gradient. */
    void weightGradient(INDArray h, INDArray delta, INDArray gradient) {
        int n = (int) h.size(0);
        int in = (int) h.size(1);
        int out = (int) delta.size(1);
        h = dense(h, 'c');
        delta = dense(delta, 'c');
        check(gradient, 'f', in, out);
        if (direct) {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasColMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasTrans, in, out, n, 1f, pointer(h), in, pointer(delta), out, 0f,
                    pointer(gradient), in);
        } else {
            gradient.assign(Nd4j.gemm(h, delta, true, false));
        }
    }

    /**
     * The column sums of δ [N, out] written into {@code gradient} [out], the bias gradient: as δᵀ·1, since libnd4j's
     * reduction along the first dimension was slower than the layer's matrix products.
     */
    void biasGradient(INDArray delta, INDArray gradient) {
        int n = (int) delta.size(0);
        int out = (int) delta.size(1);
        delta = dense(delta, 'c');
        if (!direct || gradient.length() != out || gradient.elementWiseStride() != 1
                || gradient.dataType() != DataType.FLOAT) {
            gradient.assign(delta.sum(0));
            return;
        }
        if (ones == null || ones.length() < n) {
            ones = Nd4j.ones(DataType.FLOAT, n);
        }
        openblas_nolapack.cblas_sgemv(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasTrans, n, out, 1f,
                pointer(delta), out, pointer(ones), 1, 0f, pointer(gradient), 1);
    }

    /** {@code a}, or a copy of it in {@code order} if its memory is laid out otherwise. */
    private static INDArray dense(INDArray a, char order) {
        return a.dataType() == DataType.FLOAT && laidOut(a, order) ? a : a.castTo(DataType.FLOAT).dup(order);
    }

    private static void check(INDArray a, char order, long rows, long columns) {
        if (a.dataType() != DataType.FLOAT || a.rank() != 2 || a.size(0) != rows || a.size(1) != columns
                || !laidOut(a, order)) {
            throw new IllegalArgumentException("expected a dense float [" + rows + ", " + columns + "] array in " + order
                    + " order, got " + a.shapeInfoToString());
        }
    }

    /** Whether a 2-D array is contiguous in {@code order}; the stride of a dimension of size 1 does not matter. */
    private static boolean laidOut(INDArray a, char order) {
        if (a.rank() != 2) {
            return false;
        }
        long rows = a.size(0);
        long columns = a.size(1);
        return order == 'c'
                ? (columns == 1 || a.stride(1) == 1) && (rows == 1 || a.stride(0) == columns)
                : (rows == 1 || a.stride(0) == 1) && (columns == 1 || a.stride(1) == rows);
    }

    private static boolean openBlasUsable() {
        try {
            if (!Nd4j.getBackend().getClass().getSimpleName().equals("CpuBackend")) {
                return false;
            }
            float[] one = {2f};
            float[] out = {0f};
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasNoTrans, 1, 1, 1, 1f, one, 1, one, 1, 0f, out, 1);
            return out[0] == 4f;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
