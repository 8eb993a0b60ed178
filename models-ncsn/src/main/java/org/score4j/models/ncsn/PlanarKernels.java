package org.score4j.models.ncsn;

import java.nio.FloatBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise work of {@link DirectUnet} on {@link Planes} with the JDK's vector API, over ranges of positions
 * (or of whole images). Runs of positions are copied into heap arrays and computed there (see
 * {@link VectorKernels#biasSwish} for why); a position's channels are whole vectors and then single floats. Only
 * {@link DirectUnet} touches this class, and only when the {@code jdk.incubator.vector} module is present.
 */
final class PlanarKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Floats per heap run. */
    private static final int RUN = 4096;

    private PlanarKernels() {
    }

    /**
     * For positions [from, to): dst ← src + add + e[image] per channel. {@code add} and {@code e} ([N, channels]) may
     * be null; {@code src}, {@code dst} and {@code add} may be the same maps. Runs stay within
     * one image and are computed in whole vectors (past the run's end on leftovers that are not stored), so every
     * element sees the same arithmetic whatever the range.
     */
    static void finish(Planes src, Planes dst, Planes add, float[] e, int from, int to) {
        int channels = src.channels();
        int plane = src.geometry().plane();
        int run = Math.max(1, RUN / channels);
        int padded = (run * channels + F.length() - 1) / F.length() * F.length();
        float[] t = new float[padded];
        float[] a = add == null ? null : new float[padded];
        float[] pattern = new float[padded];
        int patternImage = -1;
        boolean patterned = e != null;
        FloatBuffer source = src.floats();
        FloatBuffer target = dst.floats();
        int p0 = from;
        while (p0 < to) {
            int image = p0 / plane;
            int positions = Math.min(run, Math.min(to, (image + 1) * plane) - p0);
            int length = positions * channels;
            if (patterned && image != patternImage) {
                // e[image] per channel, repeated over a whole run; it changes only with the image.
                System.arraycopy(e, image * channels, pattern, 0, channels);
                for (int q = 1; q < run; q++) {
                    System.arraycopy(pattern, 0, pattern, q * channels, channels);
                }
                patternImage = image;
            }
            source.get(src.index(p0), t, 0, length);
            if (a != null) {
                add.floats().get(add.index(p0), a, 0, length);
            }
            for (int j = 0; j < length; j += F.length()) {
                FloatVector v = FloatVector.fromArray(F, t, j);
                if (patterned) {
                    v = v.add(FloatVector.fromArray(F, pattern, j));
                }
                if (a != null) {
                    v = v.add(FloatVector.fromArray(F, a, j));
                }
                v.intoArray(t, j);
            }
            target.put(dst.index(p0), t, 0, length);
            p0 += positions;
        }
    }

    /**
     * Adds the sums of g over positions [from, to), per image and channel, into sums[image·channels + c] (see
     * {@link VectorKernels#columnSums}).
     */
    static void imageSums(Planes g, double[] sums, int from, int to) {
        int channels = g.channels();
        int plane = g.geometry().plane();
        float[] rows = new float[VectorKernels.sumRun(channels) * channels];
        int p0 = from;
        while (p0 < to) {
            int image = p0 / plane;
            int end = Math.min(to, (image + 1) * plane);
            VectorKernels.columnSums(g.floats(), p0, end, channels, sums, image * channels, rows);
            p0 = end;
        }
    }

    /**
     * For positions [from, to): joined ← (first, second) along channels when {@code join}, else (first, second) ←
     * joined.
     */
    static void concat(Planes first, Planes second, Planes joined, boolean join, int from, int to) {
        int a = first.channels();
        int b = second.channels();
        int run = Math.max(1, RUN / (a + b));
        float[] x = new float[run * a];
        float[] y = new float[run * b];
        float[] xy = new float[run * (a + b)];
        FloatBuffer fb = first.floats();
        FloatBuffer sb = second.floats();
        FloatBuffer jb = joined.floats();
        for (int p0 = from; p0 < to; p0 += run) {
            int n = Math.min(run, to - p0);
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

    /**
     * For images [from, to): big ← small repeated 2×2 (nearest-neighbour upsampling) when {@code up}, else small ← the
     * 2×2 block sums of big (its gradient).
     */
    static void upsample(Planes small, Planes big, boolean up, int from, int to) {
        int channels = small.channels();
        Planes.Geometry s = small.geometry();
        Planes.Geometry b = big.geometry();
        float[] sv = new float[s.plane() * channels];
        float[] bv = new float[b.plane() * channels];
        FloatBuffer sf = small.floats();
        FloatBuffer bf = big.floats();
        for (int image = from; image < to; image++) {
            if (up) {
                sf.get(small.index(image * s.plane()), sv, 0, sv.length);
                for (int y = 0; y < b.height(); y++) {
                    for (int x = 0; x < b.width(); x++) {
                        System.arraycopy(sv, s.at(y / 2, x / 2) * channels, bv, b.at(y, x) * channels, channels);
                    }
                }
                bf.put(big.index(image * b.plane()), bv, 0, bv.length);
            } else {
                bf.get(big.index(image * b.plane()), bv, 0, bv.length);
                java.util.Arrays.fill(sv, 0f);
                for (int y = 0; y < b.height(); y++) {
                    for (int x = 0; x < b.width(); x++) {
                        int into = s.at(y / 2, x / 2) * channels;
                        int at = b.at(y, x) * channels;
                        for (int c = 0; c < channels; c++) {
                            sv[into + c] += bv[at + c];
                        }
                    }
                }
                sf.put(small.index(image * s.plane()), sv, 0, sv.length);
            }
        }
    }


}
