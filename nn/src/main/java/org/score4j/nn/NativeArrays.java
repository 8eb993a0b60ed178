package org.score4j.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The host memory of dense float arrays of the CPU backend, for code that works on it directly. The pointers and
 * buffers are views of the array's own memory: they are valid while the array is (keep a reference to it).
 */
public final class NativeArrays {
    private NativeArrays() {
    }

    /** The array's first element: a view's data buffer already starts at the view's offset. */
    public static FloatPointer pointer(INDArray a) {
        return new FloatPointer(a.data().addressPointer());
    }

    /**
     * The array's values, in their memory order, as a buffer of native byte order over the array's own memory (no
     * copy): element i is at byte 4·i.
     *
     * @throws IllegalArgumentException if the array is not float or not one contiguous block
     */
    public static ByteBuffer bytes(INDArray a) {
        if (!isContiguousFloat(a)) {
            throw new IllegalArgumentException("expected a contiguous float array, got " + a.shapeInfoToString());
        }
        FloatPointer p = pointer(a);
        return p.capacity(a.length()).limit(a.length()).asByteBuffer().order(ByteOrder.nativeOrder());
    }

    /** Whether the array is float and one contiguous block of memory (in whatever order). */
    public static boolean isContiguousFloat(INDArray a) {
        return a.dataType() == DataType.FLOAT && (a.length() == 1 || a.elementWiseStride() == 1);
    }
}
