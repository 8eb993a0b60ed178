package org.score4j.nn.cpu;

import java.nio.FloatBuffer;
import org.score4j.nn.Planes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise work of the layers on {@link Planes} with the JDK's vector API, over ranges of chunks or of whole
 * images: per-channel sums and affine maps (biases, residual sums, normalisation), concatenation and upsampling. Runs
 * of positions are copied into heap arrays and computed there (see {@link VectorKernels#biasSwish} for why), in whole
 * vectors, so every element sees the same arithmetic whatever the range. Callers split the work over score4j's
 * threads with {@link FusedKernels#inParts}; use it only where {@link FusedKernels#available()}.
 */
public final class PlanarKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Floats per heap run. */
    private static final int RUN = 4096;

    private PlanarKernels() {
    }

    /**
     * For chunks [from, to) (see {@link Planes}): dst ← src + add + e[image] per channel. {@code add} and {@code e}
     * ([N, channels]) may be null; {@code src}, {@code dst} and {@code add} may be the same maps, all in one layout.
     * Runs stay within a chunk and are computed in whole vectors (past the run's end on leftovers that are not
     * stored), so every element sees the same arithmetic whatever the range.
     */
    public static void finish(Planes src, Planes dst, Planes add, float[] e, int from, int to) {
        int block = src.block();
        int blocks = src.channels() / block;
        int plane = src.geometry().plane();
        int run = Math.max(1, RUN / block);
        int padded = (run * block + F.length() - 1) / F.length() * F.length();
        float[] t = new float[padded];
        float[] a = add == null ? null : new float[padded];
        float[] pattern = e == null ? null : new float[padded];
        FloatBuffer source = src.floats();
        FloatBuffer target = dst.floats();
        for (int chunk = from; chunk < to; chunk++) {
            if (e != null) {
                // e[image] of this block's channels, repeated over a whole run.
                System.arraycopy(e, chunk / blocks * src.channels() + chunk % blocks * block, pattern, 0, block);
                for (int q = 1; q < run; q++) {
                    System.arraycopy(pattern, 0, pattern, q * block, block);
                }
            }
            for (int q0 = 0; q0 < plane; q0 += run) {
                int length = Math.min(run, plane - q0) * block;
                int at = chunk * plane * block + q0 * block;
                source.get(at, t, 0, length);
                if (a != null) {
                    add.floats().get(at, a, 0, length);
                }
                for (int j = 0; j < length; j += F.length()) {
                    FloatVector v = FloatVector.fromArray(F, t, j);
                    if (e != null) {
                        v = v.add(FloatVector.fromArray(F, pattern, j));
                    }
                    if (a != null) {
                        v = v.add(FloatVector.fromArray(F, a, j));
                    }
                    v.intoArray(t, j);
                }
                target.put(at, t, 0, length);
            }
        }
    }

    /**
     * Adds the sums of g over each image's positions, per channel, into sums[image·channels + c], for chunks
     * [from, to) (see {@link VectorKernels#columnSums}).
     */
    public static void imageSums(Planes g, double[] sums, int from, int to) {
        int block = g.block();
        int blocks = g.channels() / block;
        int plane = g.geometry().plane();
        float[] rows = new float[VectorKernels.sumRun(block) * block];
        for (int chunk = from; chunk < to; chunk++) {
            VectorKernels.columnSums(g.floats(), chunk * plane, (chunk + 1) * plane, block, sums,
                    chunk / blocks * g.channels() + chunk % blocks * block, rows);
        }
    }

    /**
     * Adds Σ g and Σ g·x over each image's positions, per channel, into sums and dots[image·channels + c], for chunks
     * [from, to), in one pass (g and x in one layout): the sums a normalisation's backward pass needs. Runs of
     * positions are summed in float, the runs' sums added in double, as {@link VectorKernels#columnSums} does.
     */
    public static void imageSumsAndDots(Planes g, Planes x, double[] sums, double[] dots, int from, int to) {
        int block = g.block();
        int blocks = g.channels() / block;
        int plane = g.geometry().plane();
        int run = VectorKernels.sumRun(block);
        float[] gs = new float[padded(run * block)];
        float[] xs = new float[gs.length];
        float[] acc = new float[block];
        for (int chunk = from; chunk < to; chunk++) {
            int at = chunk / blocks * g.channels() + chunk % blocks * block;
            for (int q0 = 0; q0 < plane; q0 += run) {
                int n = Math.min(run, plane - q0);
                int length = n * block;
                int start = (chunk * plane + q0) * block;
                g.floats().get(start, gs, 0, length);
                x.floats().get(start, xs, 0, length);
                VectorKernels.addColumnSums(gs, n, block, acc, sums, at);
                for (int j = 0; j < length; j += F.length()) {
                    FloatVector.fromArray(F, xs, j).mul(FloatVector.fromArray(F, gs, j)).intoArray(xs, j);
                }
                VectorKernels.addColumnSums(xs, n, block, acc, dots, at);
            }
        }
    }

    /**
     * Adds Σ (x − k) and Σ (x − k)² over each image's positions, per channel, into sums and squares[image·channels + c]
     * for the shifts k = shift[image·channels + c], for chunks [from, to), in one pass: with k a value of the channel
     * (its first position's, say) the variance follows from these without the cancellation of Σx² − (Σx)²/n.
     */
    public static void shiftedMoments(Planes x, float[] shift, double[] sums, double[] squares, int from, int to) {
        int block = x.block();
        int blocks = x.channels() / block;
        int plane = x.geometry().plane();
        int run = VectorKernels.sumRun(block);
        float[] t = new float[padded(run * block)];
        float[] pattern = new float[t.length];
        float[] acc = new float[block];
        for (int chunk = from; chunk < to; chunk++) {
            int at = chunk / blocks * x.channels() + chunk % blocks * block;
            repeat(shift, at, block, pattern, run);
            for (int q0 = 0; q0 < plane; q0 += run) {
                int n = Math.min(run, plane - q0);
                int length = n * block;
                x.floats().get((chunk * plane + q0) * block, t, 0, length);
                for (int j = 0; j < length; j += F.length()) {
                    FloatVector.fromArray(F, t, j).sub(FloatVector.fromArray(F, pattern, j)).intoArray(t, j);
                }
                VectorKernels.addColumnSums(t, n, block, acc, sums, at);
                for (int j = 0; j < length; j += F.length()) {
                    FloatVector d = FloatVector.fromArray(F, t, j);
                    d.mul(d).intoArray(t, j);
                }
                VectorKernels.addColumnSums(t, n, block, acc, squares, at);
            }
        }
    }

    /**
     * For chunks [from, to): dst ← a·u + shift + b·v, with a, b and shift per image and channel
     * ([N·channels], index image·channels + c). {@code v} and {@code b} may be null (then dst ← a·u + shift);
     * dst may be u or v; all maps in one layout.
     */
    public static void affine(Planes u, float[] a, Planes v, float[] b, float[] shift, Planes dst, int from, int to) {
        int block = u.block();
        int blocks = u.channels() / block;
        int plane = u.geometry().plane();
        int run = Math.max(1, RUN / block);
        int padded = padded(run * block);
        float[] t = new float[padded];
        float[] w = v == null ? null : new float[padded];
        float[] pa = new float[padded];
        float[] pb = v == null ? null : new float[padded];
        float[] ps = new float[padded];
        for (int chunk = from; chunk < to; chunk++) {
            int at = chunk / blocks * u.channels() + chunk % blocks * block;
            repeat(a, at, block, pa, run);
            repeat(shift, at, block, ps, run);
            if (v != null) {
                repeat(b, at, block, pb, run);
            }
            for (int q0 = 0; q0 < plane; q0 += run) {
                int length = Math.min(run, plane - q0) * block;
                int start = (chunk * plane + q0) * block;
                u.floats().get(start, t, 0, length);
                if (v != null) {
                    v.floats().get(start, w, 0, length);
                }
                for (int j = 0; j < length; j += F.length()) {
                    FloatVector r = FloatVector.fromArray(F, t, j).mul(FloatVector.fromArray(F, pa, j))
                            .add(FloatVector.fromArray(F, ps, j));
                    if (v != null) {
                        r = r.add(FloatVector.fromArray(F, w, j).mul(FloatVector.fromArray(F, pb, j)));
                    }
                    r.intoArray(t, j);
                }
                dst.floats().put(start, t, 0, length);
            }
        }
    }

    /**
     * For images [from, to): dst ← src, from one layout into another (the same channels and geometry), e.g. maps in
     * blocks of 16 channels into NHWC rows.
     */
    public static void relayout(Planes src, Planes dst, int from, int to) {
        int plane = src.geometry().plane();
        int channels = src.channels();
        if (src.block() == dst.block()) {
            int start = from * plane * channels;
            int length = (to - from) * plane * channels;
            dst.floats().put(start, src.floats(), start, length);
            return;
        }
        float[] in = new float[plane * channels];
        float[] out = new float[plane * channels];
        for (int n = from; n < to; n++) {
            src.floats().get(n * plane * channels, in, 0, in.length);
            for (int c = 0; c < channels; c++) {
                for (int q = 0; q < plane; q++) {
                    out[dst.index(0, q, c)] = in[src.index(0, q, c)];
                }
            }
            dst.floats().put(n * plane * channels, out, 0, out.length);
        }
    }

    /** pattern ← values[at, at + block) repeated {@code run} times. */
    private static void repeat(float[] values, int at, int block, float[] pattern, int run) {
        System.arraycopy(values, at, pattern, 0, block);
        for (int q = 1; q < run; q++) {
            System.arraycopy(pattern, 0, pattern, q * block, block);
        }
    }

    /** {@code length} rounded up to whole vectors. */
    private static int padded(int length) {
        return (length + F.length() - 1) / F.length() * F.length();
    }

    /**
     * For images [from, to): joined ← (first, second) along channels when {@code join}, else (first, second) ←
     * joined. In blocks of 16 channels an image's blocks of the two are adjacent runs of the joined image.
     */
    public static void concat(Planes first, Planes second, Planes joined, boolean join, int from, int to) {
        int plane = joined.geometry().plane();
        int a = first.channels();
        int b = second.channels();
        if (!joined.channelsLast()) {
            int image = plane * (a + b);
            for (int n = from; n < to; n++) {
                copy(first.floats(), n * plane * a, joined.floats(), n * image, plane * a, join);
                copy(second.floats(), n * plane * b, joined.floats(), n * image + plane * a, plane * b, join);
            }
            return;
        }
        int run = Math.max(1, RUN / (a + b));
        float[] x = new float[run * a];
        float[] y = new float[run * b];
        float[] xy = new float[run * (a + b)];
        FloatBuffer fb = first.floats();
        FloatBuffer sb = second.floats();
        FloatBuffer jb = joined.floats();
        for (int p0 = from * plane; p0 < to * plane; p0 += run) {
            int n = Math.min(run, to * plane - p0);
            if (join) {
                fb.get(first.index(p0), x, 0, n * a);
                sb.get(second.index(p0), y, 0, n * b);
                for (int q = 0; q < n; q++) {
                    System.arraycopy(x, q * a, xy, q * (a + b), a);
                    System.arraycopy(y, q * b, xy, q * (a + b) + a, b);
                }
                jb.put(joined.index(p0), xy, 0, n * (a + b));
            } else {
                jb.get(joined.index(p0), xy, 0, n * (a + b));
                for (int q = 0; q < n; q++) {
                    System.arraycopy(xy, q * (a + b), x, q * a, a);
                    System.arraycopy(xy, q * (a + b) + a, y, q * b, b);
                }
                fb.put(first.index(p0), x, 0, n * a);
                sb.put(second.index(p0), y, 0, n * b);
            }
        }
    }

    /** Copies {@code count} floats from part[at] to whole[into] when {@code intoWhole}, else back. */
    private static void copy(FloatBuffer part, int at, FloatBuffer whole, int into, int count, boolean intoWhole) {
        if (intoWhole) {
            whole.put(into, part, at, count);
        } else {
            part.put(at, whole, into, count);
        }
    }

    /**
     * For chunks [from, to): big ← small repeated 2×2 (nearest-neighbour upsampling) when {@code up}, else small ←
     * the 2×2 block sums of big (its gradient); both in one layout.
     */
    public static void upsample(Planes small, Planes big, boolean up, int from, int to) {
        int block = small.block();
        Planes.Geometry s = small.geometry();
        Planes.Geometry b = big.geometry();
        float[] sv = new float[s.plane() * block];
        float[] bv = new float[b.plane() * block];
        FloatBuffer sf = small.floats();
        FloatBuffer bf = big.floats();
        for (int chunk = from; chunk < to; chunk++) {
            if (up) {
                sf.get(chunk * sv.length, sv, 0, sv.length);
                for (int y = 0; y < b.height(); y++) {
                    for (int x = 0; x < b.width(); x++) {
                        System.arraycopy(sv, s.at(y / 2, x / 2) * block, bv, b.at(y, x) * block, block);
                    }
                }
                bf.put(chunk * bv.length, bv, 0, bv.length);
            } else {
                bf.get(chunk * bv.length, bv, 0, bv.length);
                java.util.Arrays.fill(sv, 0f);
                for (int y = 0; y < b.height(); y++) {
                    for (int x = 0; x < b.width(); x++) {
                        int into = s.at(y / 2, x / 2) * block;
                        int at = b.at(y, x) * block;
                        for (int c = 0; c < block; c++) {
                            sv[into + c] += bv[at + c];
                        }
                    }
                }
                sf.put(chunk * sv.length, sv, 0, sv.length);
            }
        }
    }
}
