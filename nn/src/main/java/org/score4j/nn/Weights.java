package org.score4j.nn;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network's flat parameter vector as its layers read it: dense floats in native memory, each layer's
 * {@link ParameterLayout.Part}s at their offsets. The weights are a view of the caller's array, which must stay alive
 * and dense; a layer never writes them.
 *
 * <p>Layers may keep values derived from the weights across passes (a convolution keeps its kernel reordered for
 * oneDNN); they redo that work when the {@link #version()} changes. Whoever changes the array's values calls
 * {@link #changed()} before the next pass.
 */
public final class Weights {
    private static final AtomicLong VERSIONS = new AtomicLong();

    private final INDArray array;
    private final FloatPointer pointer;
    private final FloatBuffer values;
    private long version = VERSIONS.incrementAndGet();

    private Weights(INDArray array) {
        this.array = array;
        this.pointer = NativeArrays.pointer(array);
        this.values = pointer.capacity(array.length()).limit(array.length()).asByteBuffer()
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * The weights of {@code flat}, a contiguous float array of the network's size.
     *
     * @throws IllegalArgumentException if it is not a contiguous float array
     */
    public static Weights of(INDArray flat) {
        Objects.requireNonNull(flat, "flat");
        if (!NativeArrays.isContiguousFloat(flat)) {
            throw new IllegalArgumentException("weights must be a contiguous float array, got " + flat.shapeInfoToString());
        }
        return new Weights(flat);
    }

    /** Number of values. */
    public long size() {
        return array.length();
    }

    /** The values, for absolute gets. */
    public FloatBuffer values() {
        return values;
    }

    /** A pointer to value {@code offset}, for native code (oneDNN). */
    public FloatPointer at(long offset) {
        return pointer.getPointer(offset);
    }

    /** A copy of the part's values. */
    public float[] get(ParameterLayout.Part part) {
        float[] out = new float[Math.toIntExact(part.length())];
        values.get(Math.toIntExact(part.offset()), out);
        return out;
    }

    /** Changes whenever {@link #changed()} is called; unique across all weights of the JVM. */
    public long version() {
        return version;
    }

    /** Tells the layers that the values changed: they redo what they derived from them at their next pass. */
    public void changed() {
        version = VERSIONS.incrementAndGet();
    }
}
