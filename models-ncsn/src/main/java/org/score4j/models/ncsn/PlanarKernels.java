package org.score4j.models.ncsn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise work of {@link DirectUnet} on {@link Planes} with the JDK's vector API. A segment is one image of
 * one channel (a padded plane); segment s of maps with a given batch is channel s / batch, image s % batch, and
 * starts s·plane floats after the maps' first float. Segments are copied into heap arrays padded to whole vectors
 * and computed there (see {@link VectorKernels#biasSwish} for why). Only {@link DirectUnet} touches this class, and
 * only when the {@code jdk.incubator.vector} module is present.
 */
final class PlanarKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private PlanarKernels() {
    }

    /** {@code n} rounded up to whole vectors. */
    static int padded(int n) {
        return (n + F.length() - 1) / F.length() * F.length();
    }

    /**
     * For segments [fromSegment, toSegment): v ← mask·(src + add + bias[c] + e[n·channels + c]), then either
     * dst ← v, or s ← sigmoid(v) into {@code sig} and dst ← v·s (swish). {@code add}, {@code bias}, {@code e} and
     * {@code sig} may be null; the mask has {@link #padded} length with zeros past the plane. {@code src} and
     * {@code dst} may be the same maps.
     */
    static void finish(Planes src, Planes dst, Planes add, Planes sig, float[] bias, float[] e, float[] mask,
                       int fromSegment, int toSegment) {
        int plane = src.geometry().plane();
        int batch = src.batch();
        int channels = src.channels();
        float[] t = new float[mask.length];
        float[] a = add == null ? null : new float[mask.length];
        float[] s = sig == null ? null : new float[mask.length];
        FloatBuffer from = src.bytes().asFloatBuffer();
        FloatBuffer to = dst.bytes().asFloatBuffer();
        FloatBuffer plus = add == null ? null : add.bytes().asFloatBuffer();
        FloatBuffer sigmoid = sig == null ? null : sig.bytes().asFloatBuffer();
        for (int k = fromSegment; k < toSegment; k++) {
            int c = k / batch;
            int offset = k % batch * plane;
            from.get(src.index(c, offset), t, 0, plane);
            float shift = (bias == null ? 0f : bias[c]) + (e == null ? 0f : e[k % batch * channels + c]);
            if (a != null) {
                plus.get(add.index(c, offset), a, 0, plane);
                addTo(t, a);
            }
            if (s == null) {
                shiftMask(t, shift, mask);
            } else {
                shiftMaskSwish(t, shift, mask, s);
                sigmoid.put(sig.index(c, offset), s, 0, plane);
            }
            to.put(dst.index(c, offset), t, 0, plane);
        }
    }

    private static void addTo(float[] t, float[] a) {
        for (int j = 0; j < t.length; j += F.length()) {
            FloatVector.fromArray(F, t, j).add(FloatVector.fromArray(F, a, j)).intoArray(t, j);
        }
    }

    private static void shiftMask(float[] t, float shift, float[] mask) {
        for (int j = 0; j < t.length; j += F.length()) {
            FloatVector.fromArray(F, t, j).add(shift).mul(FloatVector.fromArray(F, mask, j)).intoArray(t, j);
        }
    }

    private static void shiftMaskSwish(float[] t, float shift, float[] mask, float[] s) {
        for (int j = 0; j < t.length; j += F.length()) {
            FloatVector v = FloatVector.fromArray(F, t, j).add(shift).mul(FloatVector.fromArray(F, mask, j));
            FloatVector sg = VectorKernels.sigmoid(v);
            v.mul(sg).intoArray(t, j);
            sg.intoArray(s, j);
        }
    }

    /**
     * g ← g·(s + a·(1 − s)) for segments [fromSegment, toSegment): the swish derivative from the sigmoid s and the
     * output a, applied to the gradient g.
     */
    static void swishBackward(Planes g, Planes s, Planes a, int fromSegment, int toSegment) {
        int plane = g.geometry().plane();
        int n = (toSegment - fromSegment) * plane;
        int gi = g.index(0, fromSegment * plane);
        int si = s.index(0, fromSegment * plane);
        int ai = a.index(0, fromSegment * plane);
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

    /** The sum of each segment in [fromSegment, toSegment), into {@code sums} at the segment's index. */
    static void segmentSums(Planes g, double[] sums, int fromSegment, int toSegment) {
        int plane = g.geometry().plane();
        ByteBuffer b = g.bytes();
        int full = F.loopBound(plane);
        FloatBuffer f = b.asFloatBuffer();
        for (int k = fromSegment; k < toSegment; k++) {
            int at = g.index(0, k * plane);
            FloatVector acc = FloatVector.zero(F);
            for (int j = 0; j < full; j += F.length()) {
                acc = acc.add(load(b, at + j));
            }
            double sum = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
            for (int j = full; j < plane; j++) {
                sum += f.get(at + j);
            }
            sums[k] = sum;
        }
    }

    /** dst[d + j] += src[s + j] for j in [0, n), float indexes into the buffers. */
    static void addInto(ByteBuffer dst, int d, ByteBuffer src, int s, int n) {
        int full = F.loopBound(n);
        for (int j = 0; j < full; j += F.length()) {
            load(dst, d + j).add(load(src, s + j)).intoByteBuffer(dst, 4 * (d + j), ORDER);
        }
        if (full < n) {
            FloatBuffer df = dst.asFloatBuffer();
            FloatBuffer sf = src.asFloatBuffer();
            for (int j = full; j < n; j++) {
                df.put(d + j, df.get(d + j) + sf.get(s + j));
            }
        }
    }

    private static FloatVector load(ByteBuffer b, int i) {
        return FloatVector.fromByteBuffer(F, b, 4 * i, ORDER);
    }
}
