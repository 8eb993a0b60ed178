package org.score4j.models.ncsn;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Feature maps of a batch in {@link DirectUnet}'s layout, in native memory: channels last in blocks of B channels,
 * [N, C/B, H, W, B] (a position's B channels of a block are adjacent, positions row after row, then the next block,
 * then the next image), the layouts oneDNN's convolutions read and write at full speed (see
 * {@link OneDnnConvolution}). With B = C that is dense NHWC; with B = 16 oneDNN's {@code nChw16c}, which its Winograd
 * convolutions take. A chunk is one image's block: plane · B contiguous floats.
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

    private final FloatPointer memory;
    private final FloatBuffer floats;
    private final int channels;
    private final int block;
    private final int batch;
    private final Geometry geometry;

    private Planes(FloatPointer memory, int channels, int block, int batch, Geometry geometry) {
        this.memory = memory;
        this.floats = memory.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
        this.channels = channels;
        this.block = block;
        this.batch = batch;
        this.geometry = geometry;
    }

    /** Zeroed maps of {@code channels} × {@code batch} images in blocks of {@code block} channels (C or 16). */
    static Planes allocate(int channels, int block, int batch, Geometry geometry) {
        if (block != channels && (block != 16 || channels % block != 0)) {
            throw new IllegalArgumentException("blocks of " + block + " channels do not fit " + channels);
        }
        long length = (long) channels * batch * geometry.plane();
        FloatPointer memory = new FloatPointer(length);
        Pointer.memset(memory, 0, 4 * length);
        return new Planes(memory, channels, block, batch, geometry);
    }

    int channels() {
        return channels;
    }

    /** Channels per block: B. */
    int block() {
        return block;
    }

    /** Whether the layout is NHWC (B = C). */
    boolean channelsLast() {
        return block == channels;
    }

    /** Chunks in the maps, (image, block) pairs in memory order: chunk i is image i / (C/B), block i % (C/B). */
    int chunks() {
        return batch * (channels / block);
    }

    /** Floats per chunk: plane · B. */
    int chunkLength() {
        return geometry.plane() * block;
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

    /** Float index in {@link #floats()} of position p's first channel, in NHWC maps. */
    int index(int p) {
        if (!channelsLast()) {
            throw new IllegalStateException("positions are not contiguous in blocks of " + block + " channels");
        }
        return p * channels;
    }

    /**
     * The maps' memory as floats, for absolute gets and puts (which any thread may make): chunk i from float
     * i·{@link #chunkLength()}, and in NHWC maps position p from {@link #index}(p).
     */
    FloatBuffer floats() {
        return floats;
    }

    /** The maps' memory, for oneDNN. */
    FloatPointer pointer() {
        return memory;
    }

    /** Frees the native memory now instead of when the collector finds it. */
    void release() {
        memory.deallocate();
    }
}
