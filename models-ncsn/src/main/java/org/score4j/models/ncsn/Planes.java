package org.score4j.models.ncsn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Feature maps of a batch in {@link DirectUnet}'s layout, in native memory: channels last (a position's channels are
 * adjacent), positions image after image, each image a zero row followed by its rows, each row followed by a zero.
 * Every pixel's eight neighbours are then at fixed position offsets, zero outside its image (the zero after a row
 * is also the one before the next, the zero row of the next image the one below this), so a 3×3 convolution of a
 * block of positions is nine matrix products [positions, in] × [in, out] on shifted views of the input, with no
 * im2col copy, at the cost of (H + 1)(W + 1) rather than H·W positions per image.
 *
 * <p>The padding stays zero: every pass that may write there multiplies by {@link Geometry#mask}. An allocation has
 * a zeroed guard before and after its data so that the shifted views of the first and last positions stay inside it.
 */
final class Planes {
    /** The padded size of images of height × width, and which of the padded positions are inside. */
    record Geometry(int height, int width) {
        int rowLength() {
            return width + 1;
        }

        int plane() {
            return (height + 1) * (width + 1);
        }

        /** 1 inside the image, 0 on the padding, one value per position of a plane. */
        float[] mask() {
            float[] mask = new float[plane()];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    mask[at(y, x)] = 1f;
                }
            }
            return mask;
        }

        /** Position within the plane of image pixel (y, x); x = −1 and y = −1 or height are zeros. */
        int at(int y, int x) {
            return (y + 1) * rowLength() + x;
        }
    }

    private static final float[] ZEROS = new float[4096];

    private final FloatPointer memory;
    private final ByteBuffer bytes;
    private final FloatBuffer floats;
    private final int base;
    private final int channels;
    private final int batch;
    private final Geometry geometry;

    private Planes(FloatPointer memory, int base, int channels, int batch, Geometry geometry) {
        this.memory = memory;
        this.bytes = memory.asByteBuffer().order(ByteOrder.nativeOrder());
        this.floats = bytes.asFloatBuffer();
        this.base = base;
        this.channels = channels;
        this.batch = batch;
        this.geometry = geometry;
    }

    /** Zeroed maps of {@code channels} × {@code batch} images. */
    static Planes allocate(int channels, int batch, Geometry geometry) {
        int guard = ((geometry.rowLength() + 2) * channels + 15) / 16 * 16;
        long length = 2L * guard + (long) channels * batch * geometry.plane();
        FloatPointer memory = new FloatPointer(length);
        Pointer.memset(memory, 0, 4 * length);
        return new Planes(memory, guard, channels, batch, geometry);
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

    /** Floats in the maps (the data, without the guards). */
    int length() {
        return positions() * channels;
    }

    /** Float index in {@link #bytes()} of position p's first channel; p may reach a row and a pixel into the guards. */
    int index(int p) {
        return base + p * channels;
    }

    /** The whole allocation, native byte order; indexes from {@link #index}. */
    ByteBuffer bytes() {
        return bytes;
    }

    /** The whole allocation as floats, for absolute gets and puts (which any thread may make); indexes from {@link #index}. */
    FloatBuffer floats() {
        return floats;
    }

    /** A pointer to position p's first channel, for BLAS. */
    FloatPointer pointer(int p) {
        return new FloatPointer(memory).position(index(p));
    }

    /** Zeroes the data. */
    void zero() {
        FloatBuffer f = floats;
        int from = base;
        int end = base + length();
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
