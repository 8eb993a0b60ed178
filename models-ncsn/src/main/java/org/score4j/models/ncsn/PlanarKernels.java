package org.score4j.models.ncsn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Floats per heap run. */
    private static final int RUN = 4096;

    private PlanarKernels() {
    }

    /**
     * For positions [from, to): v ← mask·(src + add + bias + e[image]) per channel, then either dst ← v, or
     * s ← sigmoid(v) into {@code sig} and dst ← v·s (swish). {@code add}, {@code bias}, {@code e} ([N, channels]) and
     * {@code sig} may be null; {@code mask} has one value per position of a plane. {@code src} and {@code dst} may be
     * the same maps.
     */
    static void finish(Planes src, Planes dst, Planes add, Planes sig, float[] bias, float[] e, float[] mask, int from,
                       int to) {
        int channels = src.channels();
        int plane = src.geometry().plane();
        int run = Math.max(1, RUN / channels);
        float[] t = new float[run * channels];
        float[] a = new float[run * channels];
        float[] s = sig == null ? null : new float[run * channels];
        float[] shift = new float[channels];
        int shiftImage = -1;
        FloatBuffer source = src.bytes().asFloatBuffer();
        FloatBuffer target = dst.bytes().asFloatBuffer();
        for (int p0 = from; p0 < to; p0 += run) {
            int length = Math.min(run, to - p0) * channels;
            source.get(src.index(p0), t, 0, length);
            if (add != null) {
                add.bytes().asFloatBuffer().get(add.index(p0), a, 0, length);
            }
            for (int q = 0; q * channels < length; q++) {
                int p = p0 + q;
                if (p / plane != shiftImage) {
                    shiftImage = p / plane;
                    for (int c = 0; c < channels; c++) {
                        shift[c] = (bias == null ? 0f : bias[c]) + (e == null ? 0f : e[shiftImage * channels + c]);
                    }
                }
                float m = mask[p % plane];
                if (s == null) {
                    linear(t, a, q * channels, channels, shift, m);
                } else {
                    swish(t, a, s, q * channels, channels, shift, m);
                }
            }
            target.put(dst.index(p0), t, 0, length);
            if (s != null) {
                sig.bytes().asFloatBuffer().put(sig.index(p0), s, 0, length);
            }
        }
    }

    private static void linear(float[] t, float[] a, int at, int channels, float[] shift, float m) {
        int full = F.loopBound(channels);
        for (int c = 0; c < full; c += F.length()) {
            FloatVector.fromArray(F, t, at + c).add(FloatVector.fromArray(F, a, at + c))
                    .add(FloatVector.fromArray(F, shift, c)).mul(m).intoArray(t, at + c);
        }
        for (int c = full; c < channels; c++) {
            t[at + c] = (t[at + c] + a[at + c] + shift[c]) * m;
        }
    }

    private static void swish(float[] t, float[] a, float[] s, int at, int channels, float[] shift, float m) {
        int full = F.loopBound(channels);
        for (int c = 0; c < full; c += F.length()) {
            FloatVector v = FloatVector.fromArray(F, t, at + c).add(FloatVector.fromArray(F, a, at + c))
                    .add(FloatVector.fromArray(F, shift, c)).mul(m);
            FloatVector sg = VectorKernels.sigmoid(v);
            v.mul(sg).intoArray(t, at + c);
            sg.intoArray(s, at + c);
        }
        for (int c = full; c < channels; c++) {
            float v = (t[at + c] + a[at + c] + shift[c]) * m;
            float sg = (float) (1 / (1 + StrictMath.exp(-Math.max(-87f, Math.min(87f, v)))));
            t[at + c] = v * sg;
            s[at + c] = sg;
        }
    }

    /**
     * g ← g·(s + a·(1 − s)) for positions [from, to): the swish derivative from the sigmoid s and the output a, applied
     * to the gradient g.
     */
    static void swishBackward(Planes g, Planes s, Planes a, int from, int to) {
        int n = (to - from) * g.channels();
        int gi = g.index(from);
        int si = s.index(from);
        int ai = a.index(from);
        ByteBuffer gb = g.bytes();
        ByteBuffer sb = s.bytes();
        ByteBuffer ab = a.bytes();
        int full = F.loopBound(n);
        for (int j = 0; j < full; j += F.length()) {
            FloatVector sv = load(sb, si + j);
            FloatVector slope = sv.add(load(ab, ai + j).mul(sv.neg().add(1f)));
            load(gb, gi + j).mul(slope).intoByteBuffer(gb, 4 * (gi + j), ORDER);
        }
        FloatBuffer gf = gb.asFloatBuffer();
        FloatBuffer sf = sb.asFloatBuffer();
        FloatBuffer af = ab.asFloatBuffer();
        for (int j = full; j < n; j++) {
            float sv = sf.get(si + j);
            gf.put(gi + j, gf.get(gi + j) * (sv + af.get(ai + j) * (1f - sv)));
        }
    }

    /** For images [from, to): the sum of g over each image's positions, per channel, into sums[image·channels + c]. */
    static void imageSums(Planes g, double[] sums, int from, int to) {
        int channels = g.channels();
        int plane = g.geometry().plane();
        float[] values = new float[plane * channels];
        float[] acc = new float[channels];
        int full = F.loopBound(channels);
        FloatBuffer source = g.bytes().asFloatBuffer();
        for (int image = from; image < to; image++) {
            source.get(g.index(image * plane), values, 0, values.length);
            java.util.Arrays.fill(acc, 0f);
            for (int q = 0; q < plane; q++) {
                int at = q * channels;
                for (int c = 0; c < full; c += F.length()) {
                    FloatVector.fromArray(F, acc, c).add(FloatVector.fromArray(F, values, at + c)).intoArray(acc, c);
                }
                for (int c = full; c < channels; c++) {
                    acc[c] += values[at + c];
                }
            }
            for (int c = 0; c < channels; c++) {
                sums[image * channels + c] = acc[c];
            }
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
        FloatBuffer fb = first.bytes().asFloatBuffer();
        FloatBuffer sb = second.bytes().asFloatBuffer();
        FloatBuffer jb = joined.bytes().asFloatBuffer();
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
        FloatBuffer sf = small.bytes().asFloatBuffer();
        FloatBuffer bf = big.bytes().asFloatBuffer();
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

    private static FloatVector load(ByteBuffer b, int i) {
        return FloatVector.fromByteBuffer(F, b, 4 * i, ORDER);
    }

}
