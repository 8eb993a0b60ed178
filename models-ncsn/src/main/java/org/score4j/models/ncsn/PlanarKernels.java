package org.score4j.models.ncsn;

import java.nio.FloatBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.score4j.nn.cpu.VectorKernels;

/**
 * The elementwise work of {@link DirectUnet} on {@link Planes} with the JDK's vector API, over ranges of chunks or
 * of whole images. Runs of positions are copied into heap arrays and computed there (see
 * {@link VectorKernels#biasSwish} for why), in whole vectors. Only {@link DirectUnet} touches this class, and only
 * when the {@code jdk.incubator.vector} module is present.
 */
final class PlanarKernels {
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
    static void finish(Planes src, Planes dst, Planes add, float[] e, int from, int to) {
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
    static void imageSums(Planes g, double[] sums, int from, int to) {
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
     * For images [from, to): joined ← (first, second) along channels when {@code join}, else (first, second) ←
     * joined. In blocks of 16 channels an image's blocks of the two are adjacent runs of the joined image.
     */
    static void concat(Planes first, Planes second, Planes joined, boolean join, int from, int to) {
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
    static void upsample(Planes small, Planes big, boolean up, int from, int to) {
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
