package org.score4j.models.ncsn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Feature maps of a batch in {@link DirectUnet}'s layout, in native memory: channel by channel, each channel a row of
 * the batch's images one after the other, each image a zero row followed by its rows, each row followed by a zero.
 * Every pixel's eight neighbours are then at fixed offsets, zero outside its image (the zero after a row is also
 * the one before the next, the zero row of the next image the one below this): a 3×3 convolution's input for output
 * pixel p is at p + a fixed offset per kernel tap, so its im2col rows are plain copies and a convolution of the
 * whole batch is one matrix product [out, 9·in] × [9·in, N·plane], with (H + 1)(W + 1) rather than H·W columns per
 * image.
 *
 * <p>The padding stays zero: every pass that may write there multiplies by {@link Geometry#mask}. An allocation
 * has a zeroed guard before and after its data so the taps of the first and last pixels read memory it owns.
 * A view ({@link #channels(int, int)}) shares the allocation.
 */
final class Planes {
    /** The padded size of images of height × width, and which of the padded pixels are inside. */
    record Geometry(int height, int width) {
        int rowLength() {
            return width + 1;
        }

        int plane() {
            return (height + 1) * (width + 1);
        }

        /** 1 inside the image, 0 on the padding, one value per padded pixel. */
        float[] mask() {
            float[] mask = new float[plane()];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    mask[at(y, x)] = 1f;
                }
            }
            return mask;
        }

        /** Index within the padded plane of image pixel (y, x); x = −1 and y = −1 or height are zeros. */
        int at(int y, int x) {
            return (y + 1) * rowLength() + x;
        }
    }

    private final FloatPointer memory;
    private final ByteBuffer bytes;
    private final int base;
    private final int channels;
    private final int batch;
    private final Geometry geometry;

    private Planes(FloatPointer memory, ByteBuffer bytes, int base, int channels, int batch, Geometry geometry) {
        this.memory = memory;
        this.bytes = bytes;
        this.base = base;
        this.channels = channels;
        this.batch = batch;
        this.geometry = geometry;
    }

    /** Zeroed maps of {@code channels} × {@code batch} images. */
    static Planes allocate(int channels, int batch, Geometry geometry) {
        int guard = (geometry.rowLength() + 2 + 15) / 16 * 16;
        long length = 2L * guard + (long) channels * batch * geometry.plane();
        FloatPointer memory = new FloatPointer(length);
        Pointer.memset(memory, 0, 4 * length);
        ByteBuffer bytes = memory.asByteBuffer().order(ByteOrder.nativeOrder());
        return new Planes(memory, bytes, guard, channels, batch, geometry);
    }

    /** Channels [from, from + count) of these maps, sharing their memory. */
    Planes channels(int from, int count) {
        return new Planes(memory, bytes, base + from * stride(), count, batch, geometry);
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

    /** Floats from one channel's row to the next: the batch's padded planes. */
    int stride() {
        return batch * geometry.plane();
    }

    /** Floats in the maps (the data, without the guards). */
    int length() {
        return channels * stride();
    }

    /** Float index in {@link #bytes()} of padded pixel p of the channel's row. */
    int index(int channel, int p) {
        return base + channel * stride() + p;
    }

    /** The whole allocation, native byte order; indexes from {@link #index}. */
    ByteBuffer bytes() {
        return bytes;
    }

    /** A pointer to padded pixel p of the channel's row, for BLAS. */
    FloatPointer pointer(int channel, int p) {
        return new FloatPointer(memory).position(index(channel, p));
    }

    /** Zeroes the data. */
    void zero() {
        java.nio.FloatBuffer f = bytes.asFloatBuffer();
        int from = base;
        int end = base + length();
        while (from < end) {
            int n = Math.min(ZEROS.length, end - from);
            f.put(from, ZEROS, 0, n);
            from += n;
        }
    }

    private static final float[] ZEROS = new float[4096];

    /** Frees the native memory now instead of when the collector finds it; views must not be used after. */
    void release() {
        memory.deallocate();
    }
}
