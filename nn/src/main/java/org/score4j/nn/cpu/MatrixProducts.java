package org.score4j.nn.cpu;

import static org.score4j.nn.NativeArrays.pointer;

import java.nio.FloatBuffer;

import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.nn.NativeArrays;

/**
 * The three matrix products of a dense layer, on float arrays: activations are [N, width] in C order, weights are
 * DL4J's [in, out] in Fortran order. On the CPU backend they run on the arrays' memory as oneDNN matmul primitives
 * ({@link OneDnnMatmul}, one per shape, kept), or OpenBLAS's sgemm where oneDNN's natives do not load: DL4J
 * 1.0.0-M2.1's {@code INDArray.mmul} goes through a libnd4j op far slower than sgemm itself for these shapes, and
 * {@code Nd4j.gemm} adds a fixed cost to every call (figures in docs/speed.md). Any other backend uses
 * {@code Nd4j.gemm}.
 */
public final class MatrixProducts {
    private static final boolean DIRECT = openBlasUsable();

    private final boolean direct;
    /** oneDNN's primitives by shape and form, or null for sgemm. */
    private final java.util.Map<Form, OneDnnMatmul> primitives;
    private org.bytedeco.dnnl.stream stream;
    private INDArray ones;
    private INDArray narrow;

    private MatrixProducts(boolean direct, boolean oneDnn) {
        this.direct = direct;
        this.primitives = direct && oneDnn ? new java.util.HashMap<>() : null;
    }

    /** Whether sgemm can be called directly: the CPU backend with its OpenBLAS. */
    public static boolean directAvailable() {
        return DIRECT;
    }

    /** oneDNN, else direct sgemm, where the backend allows it. */
    public static MatrixProducts best() {
        return new MatrixProducts(DIRECT, DIRECT && OneDnn.available());
    }

    /** OpenBLAS's sgemm where the backend allows it, for tests of that path. */
    public static MatrixProducts viaOpenBlas() {
        return new MatrixProducts(DIRECT, false);
    }

    /** Always through ND4J, for tests of the other path. */
    public static MatrixProducts viaNd4j() {
        return new MatrixProducts(false, false);
    }

    /** Whether {@link #forward(INDArray, INDArray, INDArray, INDArray, boolean)} adds the bias and swish in the product. */
    public boolean fusesActivation() {
        return primitives != null;
    }

    /** h·W: [N, in] times [in, out], written into c [N, out]; returns c. */
    public INDArray forward(INDArray h, INDArray w, INDArray c) {
        return forward(h, w, null, c, false);
    }

    /**
     * c ← h·W, and where {@code b} [out] is given + b, then swish if {@code swish}, in the same pass (only where
     * {@link #fusesActivation}); h [N, in] in C order, W [in, out] in Fortran order, c [N, out] in C order.
     */
    public INDArray forward(INDArray h, INDArray w, INDArray b, INDArray c, boolean swish) {
        int n = (int) h.size(0);
        int in = (int) w.size(0);
        int out = (int) w.size(1);
        h = dense(h, 'c');
        check(h, 'c', n, in);
        check(w, 'f', in, out);
        check(c, 'c', n, out);
        if (b != null) {
            if (primitives == null) {
                throw new IllegalStateException("the bias and activation are fused only into oneDNN's products");
            }
            if (b.dataType() != DataType.FLOAT || b.length() != out || (out > 1 && b.elementWiseStride() != 1)) {
                throw new IllegalArgumentException("expected a dense float bias of " + out + ", got "
                        + b.shapeInfoToString());
            }
            primitive("forward", n, in, out, false, true, swish ? OneDnnMatmul.Epilogue.BIAS_SWISH
                    : OneDnnMatmul.Epilogue.BIAS).run(pointer(h), pointer(w), pointer(b), pointer(c));
        } else if (primitives != null) {
            primitive("forward", n, in, out, false, true, OneDnnMatmul.Epilogue.NONE)
                    .run(pointer(h), pointer(w), null, pointer(c));
        } else if (direct) {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasTrans, n, out, in, 1f, pointer(h), in, pointer(w), in, 0f, pointer(c), out);
        } else {
            Nd4j.gemm(h, w, c, false, false, 1.0, 0.0);
        }
        return c;
    }

    /** δ·Wᵀ: [N, out] times [out, in], the gradient with respect to the layer's input, written into c [N, in]. */
    public INDArray backward(INDArray delta, INDArray w, INDArray c) {
        int n = (int) delta.size(0);
        int in = (int) w.size(0);
        int out = (int) w.size(1);
        delta = dense(delta, 'c');
        check(delta, 'c', n, out);
        check(w, 'f', in, out);
        check(c, 'c', n, in);
        if (primitives != null) {
            // Wᵀ [out, in] row-major is W [in, out] in Fortran order.
            primitive("backward", n, out, in, false, false, OneDnnMatmul.Epilogue.NONE)
                    .run(pointer(delta), pointer(w), null, pointer(c));
        } else if (direct) {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasNoTrans, n, in, out, 1f, pointer(delta), out, pointer(w), in, 0f, pointer(c), in);
        } else {
            Nd4j.gemm(delta, w, c, false, true, 1.0, 0.0);
        }
        return c;
    }

    /** hᵀ·δ written into {@code gradient}, the [in, out] Fortran-order view of the weights' gradient. */
    public void weightGradient(INDArray h, INDArray delta, INDArray gradient) {
        int n = (int) h.size(0);
        int in = (int) h.size(1);
        int out = (int) delta.size(1);
        h = dense(h, 'c');
        delta = dense(delta, 'c');
        check(gradient, 'f', in, out);
        if (primitives != null && in < out) {
            // oneDNN runs a product with few columns far below its rate: the 11-wide input layer's gradient took over
            // twice as long computed as δᵀ·h [out, in] as computed as hᵀ·δ [in, out], and split its sums over the
            // threads. It writes a transposed result only with its reference code, so the narrow side goes in rows
            // and the small result is transposed into place on the JVM.
            INDArray rows = narrowGradient(in, out);
            primitive("weights-by-input", in, n, out, true, false, OneDnnMatmul.Epilogue.NONE)
                    .run(pointer(h), pointer(delta), null, pointer(rows));
            transposeInto(rows, gradient, in, out);
        } else if (primitives != null) {
            // The Fortran-order [in, out] gradient is δᵀ·h [out, in] row-major; δᵀ is δ stored transposed.
            primitive("weights", out, n, in, true, false, OneDnnMatmul.Epilogue.NONE)
                    .run(pointer(delta), pointer(h), null, pointer(gradient));
        } else if (direct) {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasColMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasTrans, in, out, n, 1f, pointer(h), in, pointer(delta), out, 0f,
                    pointer(gradient), in);
        } else {
            gradient.assign(Nd4j.gemm(h, delta, true, false));
        }
    }

    /** The [in, out] C-order work array of {@link #weightGradient} for a layer narrower on its input side. */
    private INDArray narrowGradient(int in, int out) {
        if (narrow == null || narrow.size(0) != in || narrow.size(1) != out) {
            narrow = Nd4j.createUninitialized(DataType.FLOAT, in, out);
        }
        return narrow;
    }

    /** {@code rows} [in, out] in C order written into {@code gradient} [in, out] in Fortran order. */
    private static void transposeInto(INDArray rows, INDArray gradient, int in, int out) {
        FloatBuffer from = NativeArrays.bytes(rows).asFloatBuffer();
        FloatBuffer to = NativeArrays.bytes(gradient).asFloatBuffer();
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                to.put(o * in + i, from.get(i * out + o));
            }
        }
    }

    /**
     * The column sums of δ [N, out] written into {@code gradient} [out], the bias gradient: as 1ᵀ·δ, since libnd4j's
     * reduction along the first dimension was slower than the layer's matrix products (and a pass on the JVM slower
     * still; docs/speed.md).
     */
    public void biasGradient(INDArray delta, INDArray gradient) {
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
        if (primitives != null) {
            // Not sgemv: OpenBLAS's threads spin for a while after a call, and oneDNN's next products ran slower.
            primitive("sums", 1, n, out, false, false, OneDnnMatmul.Epilogue.NONE)
                    .run(pointer(ones), pointer(delta), null, pointer(gradient));
            return;
        }
        openblas_nolapack.cblas_sgemv(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasTrans, n, out, 1f,
                pointer(delta), out, pointer(ones), 1, 0f, pointer(gradient), 1);
    }

    private OneDnnMatmul primitive(String form, long m, long k, long n, boolean aTransposed, boolean bTransposed,
                                   OneDnnMatmul.Epilogue epilogue) {
        if (stream == null) {
            stream = new org.bytedeco.dnnl.stream(OneDnn.engine());
        }
        if (primitives.size() > 64) {
            primitives.clear(); // batch sizes that come and go (a last partial batch, evaluation) must not pile up
        }
        return primitives.computeIfAbsent(new Form(form, m, k, n, epilogue),
                key -> new OneDnnMatmul(stream, m, k, n, aTransposed, bTransposed, epilogue));
    }

    /** One product's kind and shapes: the key of the primitives kept. */
    private record Form(String product, long m, long k, long n, OneDnnMatmul.Epilogue epilogue) {
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
