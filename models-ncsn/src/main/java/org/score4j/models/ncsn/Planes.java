package org.score4j.models.ncsn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Feature maps of a batch in {@link DirectUnet}'s layout, in native memory: dense channels last (NHWC: a position's
 * channels are adjacent, positions row after row, image after image), the layout oneDNN's convolutions read and write
 * at full speed (see {@link OneDnnConvolution}).
 */
final class Planes {
    /** Images of height × width. */
    record Geometry(int height, int width) {
        /** Positions per image. */
        int plane() {
            return height * width;
        }

        /** Position within the plane of image pixel (y, x). */
        int at(int y, int x) {
            return y * width + x;
        }
    }

    private static final float[] ZEROS = new float[4096];

    private final FloatPointer memory;
    private final ByteBuffer bytes;
    private final FloatBuffer floats;
    private final int channels;
    private final int batch;
    private final Geometry geometry;

    private Planes(FloatPointer memory, int channels, int batch, Geometry geometry) {
        this.memory = memory;
        this.bytes = memory.asByteBuffer().order(ByteOrder.nativeOrder());
        this.floats = bytes.asFloatBuffer();
        this.channels = channels;
        this.batch = batch;
        this.geometry = geometry;
    }

    /** Zeroed maps of {@code channels} × {@code batch} images. */
    static Planes allocate(int channels, int batch, Geometry geometry) {
        long length = (long) channels * batch * geometry.plane();
        FloatPointer memory = new FloatPointer(length);
        Pointer.memset(memory, 0, 4 * length);
        return new Planes(memory, channels, batch, geometry);
    }

    int channels() {
        return channels;
    }

    int batch() {
        return batch;
    }

    Geometry geometry() {
        return geometry;
    }

    /** Positions in the maps: the batch's planes. */
    int positions() {
        return batch * geometry.plane();
    }

    /** Floats in the maps. */
    int length() {
        return positions() * channels;
    }

    /** Float index in {@link #bytes()} of position p's first channel. */
    int index(int p) {
        return p * channels;
    }

    /** The maps' memory, native byte order; indexes from {@link #index}. */
    ByteBuffer bytes() {
        return bytes;
    }

    /** The maps' memory as floats, for absolute gets and puts (which any thread may make); indexes from {@link #index}. */
    FloatBuffer floats() {
        return floats;
    }

    /** The maps' memory, for oneDNN. */
    FloatPointer pointer() {
        return memory;
    }

    /** Zeroes the data. */
    void zero() {
        FloatBuffer f = floats;
        int from = 0;
        int end = length();
        while (from < end) {
            int n = Math.min(ZEROS.length, end - from);
            f.put(from, ZEROS, 0, n);
            from += n;
        }
    }

    /** Frees the native memory now instead of when the collector finds it. */
    void release() {
        memory.deallocate();
    }
}
