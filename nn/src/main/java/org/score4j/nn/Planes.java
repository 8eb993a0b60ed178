package org.score4j.nn;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Objects;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Feature maps of a batch in native memory, the data every {@link Layer} reads and writes: channels last in blocks of
 * B channels, [N, C/B, H, W, B] (a position's B channels of a block are adjacent, positions row after row, then the
 * next block, then the next image). These are the layouts oneDNN's primitives read and write at full speed: with
 * B = C dense NHWC; with B = 16 oneDNN's {@code nChw16c}, which its Winograd convolutions take. A chunk is one image's
 * block: plane · B contiguous floats.
 *
 * <p>Rows of a dense layer are maps of 1×1 images: [N, C] row-major. The maps own their memory from
 * {@link #allocate} until {@link #release}; whoever allocated them releases them.
 */
public final class Planes {
    /** Images of height × width. */
    public record Geometry(int height, int width) {
        /** One position: the geometry of rows (a dense layer's input). */
        public static final Geometry POINT = new Geometry(1, 1);

        public Geometry {
            if (height < 1 || width < 1 || (long) height * width > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("need 1 <= height × width <= 2^31 - 1, got " + height + "×" + width);
            }
        }

        /** Positions per image. */
        public int plane() {
            return height * width;
        }

        /** Position within the plane of image pixel (y, x). */
        public int at(int y, int x) {
            return y * width + x;
        }

        /** The geometry halved {@code times} times (rounding down), as a U-Net's levels are. */
        public Geometry halved(int times) {
            return new Geometry(height >> times, width >> times);
        }
    }

    /** Channels per block of the blocked layout. */
    public static final int BLOCK = 16;

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

    /**
     * Zeroed maps of {@code channels} × {@code batch} images in blocks of {@code block} channels (C, or
     * {@link #BLOCK} where it divides C).
     *
     * @throws IllegalArgumentException if the block does not fit the channels or the maps exceed 2^31 − 1 floats
     */
    public static Planes allocate(int channels, int block, int batch, Geometry geometry) {
        Objects.requireNonNull(geometry, "geometry");
        if (channels < 1 || batch < 1) {
            throw new IllegalArgumentException("need channels >= 1 and batch >= 1, got " + channels + ", " + batch);
        }
        if (block != channels && (block != BLOCK || channels % block != 0)) {
            throw new IllegalArgumentException("blocks of " + block + " channels do not fit " + channels);
        }
        long length = (long) channels * batch * geometry.plane();
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maps of " + length + " floats exceed 2^31 - 1");
        }
        return new Planes(new ZeroedFloats(length), channels, block, batch, geometry);
    }

    /** Zeroed maps in the layout {@code blocked} asks for where the channels allow it: {@link #BLOCK}, else NHWC. */
    public static Planes allocate(int channels, boolean blocked, int batch, Geometry geometry) {
        return allocate(channels, blockFor(channels, blocked), batch, geometry);
    }

    /** {@link #BLOCK} if {@code blocked} and it divides the channels, else all channels (NHWC). */
    public static int blockFor(int channels, boolean blocked) {
        return blocked && channels % BLOCK == 0 ? BLOCK : channels;
    }

    public int channels() {
        return channels;
    }

    /** Channels per block: B. */
    public int block() {
        return block;
    }

    /** Whether the layout is NHWC (B = C). */
    public boolean channelsLast() {
        return block == channels;
    }

    /** Chunks in the maps, (image, block) pairs in memory order: chunk i is image i / (C/B), block i % (C/B). */
    public int chunks() {
        return batch * (channels / block);
    }

    /** Floats per chunk: plane · B. */
    public int chunkLength() {
        return geometry.plane() * block;
    }

    public int batch() {
        return batch;
    }

    public Geometry geometry() {
        return geometry;
    }

    /** Positions in the maps: the batch's planes. */
    public int positions() {
        return batch * geometry.plane();
    }

    /** Floats in the maps. */
    public int length() {
        return positions() * channels;
    }

    /** Float index in {@link #floats()} of position p's first channel, in NHWC maps. */
    public int index(int p) {
        if (!channelsLast()) {
            throw new IllegalStateException("positions are not contiguous in blocks of " + block + " channels");
        }
        return p * channels;
    }

    /** Float index of channel c of position q of image n, in any layout. */
    public int index(int n, int q, int c) {
        int plane = geometry.plane();
        return ((n * (channels / block) + c / block) * plane + q) * block + c % block;
    }

    /**
     * The maps' memory as floats, for absolute gets and puts (which any thread may make): chunk i from float
     * i·{@link #chunkLength()}, and in NHWC maps position p from {@link #index}(p).
     */
    public FloatBuffer floats() {
        return floats;
    }

    /** The maps' memory, for oneDNN. */
    public FloatPointer pointer() {
        return memory;
    }

    /** Whether these maps have the shape and layout of {@code other}. */
    public boolean sameShape(Planes other) {
        return channels == other.channels && block == other.block && batch == other.batch
                && geometry.equals(other.geometry);
    }

    /**
     * Zeroed native floats from calloc, freed by their deallocator: large blocks come as fresh pages from the system,
     * which become resident only where written, so maps that a pass never writes (the gradients, while sampling) cost
     * no memory. JavaCPP's own allocation is malloc's, which the maps then had to clear value by value.
     */
    private static final class ZeroedFloats extends FloatPointer {
        ZeroedFloats(long length) {
            super(allocated(length));
            capacity(length);
            limit(length);
            Pointer raw = new Pointer(this);
            deallocator(() -> Pointer.free(raw));
        }

        private static Pointer allocated(long length) {
            Pointer p = Pointer.calloc(length, 4);
            if (p == null || p.isNull()) {
                throw new OutOfMemoryError("could not allocate " + 4 * length + " bytes of native memory for maps");
            }
            return p;
        }
    }

    /** Frees the native memory now instead of when the collector finds it. */
    public void release() {
        memory.deallocate();
    }

    /**
     * Writes {@code x} [N, C, H, W] (or [N, C] for 1×1 maps; any type, any order) into these maps.
     *
     * @throws IllegalArgumentException if x does not hold N·C·H·W values
     */
    public void write(INDArray x) {
        if (x.length() != length() || x.size(0) != batch) {
            throw new IllegalArgumentException("expected " + batch + " × " + channels + " × " + geometry.height() + " × "
                    + geometry.width() + " values, got " + java.util.Arrays.toString(x.shape()));
        }
        float[] values = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] data = new float[length()];
        int plane = geometry.plane();
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                for (int q = 0; q < plane; q++) {
                    data[index(n, q, c)] = values[(n * channels + c) * plane + q];
                }
            }
        }
        floats.put(0, data);
    }

    /** The maps as a new float array [N, C, H, W]. */
    public INDArray read() {
        float[] data = new float[length()];
        floats.get(0, data);
        int plane = geometry.plane();
        float[] values = new float[length()];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                for (int q = 0; q < plane; q++) {
                    values[(n * channels + c) * plane + q] = data[index(n, q, c)];
                }
            }
        }
        return Nd4j.create(values, new long[] {batch, channels, geometry.height(), geometry.width()}, DataType.FLOAT);
    }
}
