package org.score4j.models.ncsn;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * The im2col rows of {@link DirectUnet}'s convolutions that are not nine shifted products (stride 2, and inputs of
 * very few channels): rows [positions, 9·in], row (ky, kx, channel) per output position, gathered from the
 * {@link Planes} of the input, and their gradients scattered back.
 */
final class GatheredRows {
    /** A source position that stands for a row of zeros. */
    static final int NONE = Integer.MIN_VALUE;

    private GatheredRows() {
    }

    /**
     * For output positions [from, from + length): the input position under the kernel's top-left tap (the taps add
     * ky rows and kx positions), or {@link #NONE} on a stride-2 output's padding.
     */
    static int[] sources(int stride, Planes.Geometry input, Planes.Geometry output, int from, int length) {
        if (stride == 2) {
            return strided(input, output, from, length);
        }
        int[] sources = new int[length];
        for (int j = 0; j < length; j++) {
            sources[j] = from + j - input.rowLength() - 1;
        }
        return sources;
    }

    /**
     * The im2col rows [length, 9·in] for the given sources into {@code col}, row (ky, kx, channel) per position, zero
     * for {@link #NONE}: copied out of one window of x's positions, which reaches at most a row and a position past
     * the sources into x's guard.
     */
    static void gather(Planes x, int[] sources, int length, FloatPointer col) {
        int channels = x.channels();
        int taps = 9 * channels;
        int rowLength = x.geometry().rowLength();
        int low = Integer.MAX_VALUE;
        int high = Integer.MIN_VALUE;
        for (int j = 0; j < length; j++) {
            if (sources[j] != NONE) {
                low = Math.min(low, sources[j]);
                high = Math.max(high, sources[j]);
            }
        }
        float[] rows = new float[length * taps];
        if (low <= high) {
            float[] window = new float[(high - low + 2 * rowLength + 3) * channels];
            x.floats().get(x.index(low), window, 0, window.length);
            for (int j = 0; j < length; j++) {
                if (sources[j] != NONE) {
                    int at = (sources[j] - low) * channels;
                    for (int tap = 0; tap < 9; tap++) {
                        System.arraycopy(window, at + (tap / 3 * rowLength + tap % 3) * channels, rows,
                                j * taps + tap * channels, channels);
                    }
                }
            }
        }
        col.put(rows, 0, rows.length);
    }

    /**
     * dx += the im2col row gradients {@code dcol} of a stride-2 convolution's output positions [from, from + length),
     * whole images: each image's positions, and the zero rows and columns it shares with its neighbours, which the
     * caller zeroes after (two threads may both add there); never at or past {@code end}, where the guard must stay
     * zero.
     */
    static void scatter(Planes dx, Planes.Geometry output, int from, int length, FloatPointer dcol, int end) {
        int channels = dx.channels();
        int taps = 9 * channels;
        int[] sources = strided(dx.geometry(), output, from, length);
        float[] rows = new float[length * taps];
        dcol.get(rows, 0, rows.length);
        float[] v = new float[channels];
        FloatBuffer target = dx.floats();
        int rowLength = dx.geometry().rowLength();
        for (int j = 0; j < length; j++) {
            if (sources[j] != NONE) {
                for (int tap = 0; tap < 9; tap++) {
                    int at = dx.index(sources[j] + tap / 3 * rowLength + tap % 3);
                    if (at < end) {
                        target.get(at, v, 0, channels);
                        for (int ch = 0; ch < channels; ch++) {
                            v[ch] += rows[j * taps + tap * channels + ch];
                        }
                        target.put(at, v, 0, channels);
                    }
                }
            }
        }
    }

    /**
     * For a stride-2 convolution with SAME padding (⌊total / 2⌋ before, as libnd4j): for each output position j of
     * [from, from + length), the input position under the kernel's top-left tap (taps add ky rows and kx
     * positions), or {@link #NONE} on the output's padding.
     */
    private static int[] strided(Planes.Geometry input, Planes.Geometry output, int from, int length) {
        int top = Math.max(0, (output.height() - 1) * 2 + 3 - input.height()) / 2;
        int left = Math.max(0, (output.width() - 1) * 2 + 3 - input.width()) / 2;
        int plane = output.plane();
        int[] sources = new int[length];
        for (int j = 0; j < length; j++) {
            int p = from + j;
            int y = p % plane / output.rowLength() - 1;
            int x = p % plane % output.rowLength();
            boolean inside = y >= 0 && y < output.height() && x < output.width();
            sources[j] = inside ? p / plane * input.plane() + input.at(2 * y - top, 2 * x - left) : NONE;
        }
        return sources;
    }
}
