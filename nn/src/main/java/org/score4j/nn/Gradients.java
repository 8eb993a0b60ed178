package org.score4j.nn;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Objects;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where a backward pass puts a network's flat parameter gradient: layers <em>add</em> their parts' gradients at
 * their offsets (a part used twice gets both contributions), so the caller {@link #zero()}es it before a pass. A view
 * of the caller's contiguous float array, which must stay alive.
 */
public final class Gradients {
    private final INDArray array;
    private final FloatPointer pointer;
    private final FloatBuffer values;

    private Gradients(INDArray array) {
        this.array = array;
        this.pointer = NativeArrays.pointer(array);
        this.values = pointer.capacity(array.length()).limit(array.length()).asByteBuffer()
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * A gradient written into {@code flat}.
     *
     * @throws IllegalArgumentException if it is not a contiguous float array
     */
    public static Gradients into(INDArray flat) {
        Objects.requireNonNull(flat, "flat");
        if (!NativeArrays.isContiguousFloat(flat)) {
            throw new IllegalArgumentException("a gradient must be a contiguous float array, got "
                    + flat.shapeInfoToString());
        }
        return new Gradients(flat);
    }

    /** Sets every value to 0. */
    public void zero() {
        Pointer.memset(pointer, 0, 4L * array.length());
    }

    /** Adds {@code part} to the values from {@code offset}. */
    public void add(long offset, float[] part) {
        int at = Math.toIntExact(offset);
        float[] sum = new float[part.length];
        values.get(at, sum);
        for (int i = 0; i < part.length; i++) {
            sum[i] += part[i];
        }
        values.put(at, sum);
    }

    /** Adds the first {@code count} floats at {@code part} to the values from {@code offset}. */
    public void add(long offset, FloatPointer part, int count) {
        float[] add = new float[count];
        part.get(add, 0, count);
        add(offset, add);
    }

    /** Adds {@code part} (a double accumulation) to the values from {@code offset}, rounded to float first. */
    public void add(long offset, double[] part) {
        float[] add = new float[part.length];
        for (int i = 0; i < add.length; i++) {
            add[i] = (float) part[i];
        }
        add(offset, add);
    }

    /** Number of values. */
    public long size() {
        return array.length();
    }
}
