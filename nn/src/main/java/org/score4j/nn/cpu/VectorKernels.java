package org.score4j.nn.cpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise work of {@link DenseStack} and of the optimizers' steps as single passes over native
 * memory with the JDK's vector API (16 floats per instruction with AVX-512). Each pass replaces two to five ND4J
 * operations, each with a fixed cost whatever its size (docs/speed.md), and libnd4j's exp is a scalar loop. Only
 * {@link FusedKernels} touches this class, and only when the {@code jdk.incubator.vector} module is present.
 *
 * <p>Buffers are float arrays in native byte order (see {@link org.score4j.nn.NativeArrays#bytes}); an index counts floats. Each
 * pass runs whole vectors, then one masked (or padded) vector for the rest: every element sees the same arithmetic
 * wherever it lies, and the main loop has no mask (a vector that may or may not be masked costs an allocation per
 * iteration).
 */
public final class VectorKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private VectorKernels() {
    }

    private static FloatVector load(ByteBuffer b, int i) {
        return FloatVector.fromByteBuffer(F, b, 4 * i, ORDER);
    }

    /** Elements i..i+lanes of {@code b}, the lanes outside the mask read as 0. */
    private static FloatVector load(ByteBuffer b, int i, VectorMask<Float> m) {
        return FloatVector.fromByteBuffer(F, b, 4 * i, ORDER, m);
    }

    private static void store(FloatVector v, ByteBuffer b, int i) {
        v.intoByteBuffer(b, 4 * i, ORDER);
    }

    private static void store(FloatVector v, ByteBuffer b, int i, VectorMask<Float> m) {
        v.intoByteBuffer(b, 4 * i, ORDER, m);
    }

    /**
     * Below this magnitude a swish output or a gradient through a swish becomes 0. Behind a saturated unit they are
     * ~10⁻³⁶: still normal floats, but their products with ordinary weights are subnormal, and every product that
     * accumulates those runs many times slower (a U-Net's passes measurably so; docs/speed.md). At 2⁻¹⁰⁰ the
     * products stay normal, and what is dropped is far below anything a float sum keeps.
     */
    public static final float TINY = 0x1p-100f;

    /**
     * Sets the values of t[0, length) below {@link #TINY} in magnitude to 0, in whole vectors. A loop of its own: inside
     * the loops that compute the values the JIT ran out of inlining budget and the blend ran as plain Java.
     */
    public static void flushTiny(float[] t, int length) {
        FloatVector zero = FloatVector.zero(F);
        for (int j = 0; j < length; j += F.length()) {
            FloatVector v = FloatVector.fromArray(F, t, j);
            v.blend(zero, v.abs().compare(VectorOperators.LT, TINY)).intoArray(t, j);
        }
    }

    /** 1/(1 + e^−z): 1.6·10⁻³⁸ (not 0) below z = −87, 1 above z = 87, never NaN for a number. */
    public static FloatVector sigmoid(FloatVector z) {
        return FloatVector.broadcast(F, 1f).div(exp(z.neg()).add(1f));
    }

    private static final float LOG2_E = 1.44269504f;
    /** ln 2 in two parts, the first exact in few bits, so that x − n·ln 2 loses nothing for |n| ≤ 128. */
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;
    /** 1.5·2²³: adding it rounds a float below 2²² in magnitude to an integer, held in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = 0x4B400000;

    /**
     * e^x within 2 ulp, from correctly rounded operations only (fused multiply-adds, additions, multiplications):
     * x = n·ln 2 + r with |r| ≤ ln 2 / 2, a degree-7 polynomial for e^r, and 2^n put into the exponent bits. The
     * vector API's own EXP gives different last bits before and after the JIT compiles a loop (a per-lane fallback
     * against the vector library), which made a run's results depend on when compilation happened; these operations
     * round the same way in both. x is clamped to [−87, 87], where e^x is a normal float: beyond, the result is e^±87
     * (a sigmoid is then 1 or 1.6·10⁻³⁸), never ∞ or a subnormal, which would make later arithmetic on it many times
     * slower.
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(-87f).min(87f);
        FloatVector shifted = clamped.fma(LOG2_E, ROUNDER);
        FloatVector n = shifted.sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HIGH), clamped).add(n.mul(-LN2_LOW));
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f).fma(r, FloatVector.broadcast(F, 8.3334519073e-3f))
                .fma(r, FloatVector.broadcast(F, 4.1665795894e-2f)).fma(r, FloatVector.broadcast(F, 1.6666665459e-1f))
                .fma(r, FloatVector.broadcast(F, 5.0000001201e-1f)).fma(r.mul(r), r).add(1f);
        IntVector exponent = ((IntVector) shifted.viewAsIntegralLanes()).sub(ROUNDER_BITS - 127)
                .lanewise(VectorOperators.LSHL, 23);
        return p.mul((FloatVector) exponent.viewAsFloatingLanes());
    }

    /**
     * Rows [fromRow, toRow) of {@code z} [rows, columns] (C order): z ← z + b, then s ← sigmoid(z) and z ← z·s
     * (swish).
     *
     * <p>Each row is copied into a heap array padded to whole vectors and computed there: the exponential is too much
     * code for the JIT to inline next to loads from native buffers (it gives up and every vector becomes an object),
     * and whole vectors need no masks.
     *
     * @param s where the sigmoid goes (same shape as z), or null when only the activation is needed
     */
    public static void biasSwish(ByteBuffer z, ByteBuffer bias, ByteBuffer s, int fromRow, int toRow, int columns) {
        int padded = (columns + F.length() - 1) / F.length() * F.length();
        float[] b = new float[padded];
        float[] row = new float[padded];
        float[] sig = new float[padded];
        bias.asFloatBuffer().get(0, b, 0, columns);
        FloatBuffer zf = z.asFloatBuffer();
        FloatBuffer sf = s == null ? null : s.asFloatBuffer();
        for (int r = fromRow; r < toRow; r++) {
            zf.get(r * columns, row, 0, columns);
            biasSwishRow(row, b, sig, padded);
            zf.put(r * columns, row, 0, columns);
            if (sf != null) {
                sf.put(r * columns, sig, 0, columns);
            }
        }
    }

    private static void biasSwishRow(float[] row, float[] bias, float[] sig, int padded) {
        biasSwishVectors(row, bias, sig, padded);
        flushTiny(row, padded);
    }

    private static void biasSwishVectors(float[] row, float[] bias, float[] sig, int padded) {
        for (int j = 0; j < padded; j += F.length()) {
            FloatVector pre = FloatVector.fromArray(F, row, j).add(FloatVector.fromArray(F, bias, j));
            FloatVector sg = sigmoid(pre);
            pre.mul(sg).intoArray(row, j);
            sg.intoArray(sig, j);
        }
    }

    /** Rows summed in float before a run's sums go into the double totals. */
    private static final int SUM_RUN = 1024;

    /**
     * Adds the column sums of rows [fromRow, toRow) of the matrix [rows, columns] (C order) in {@code values} into
     * sums[at + c]: runs of rows copied to the heap and summed in float, in whole vectors and then single floats,
     * the runs' sums added in double; {@code rows} is the work array, at least {@link #sumRun}·columns floats. The same
     * rows give the same sums wherever the range starts in a run.
     */
    public static void columnSums(FloatBuffer values, int fromRow, int toRow, int columns, double[] sums, int at,
                           float[] rows) {
        int run = sumRun(columns);
        float[] acc = new float[columns];
        for (int r0 = fromRow; r0 < toRow; r0 += run) {
            int n = Math.min(run, toRow - r0);
            values.get(r0 * columns, rows, 0, n * columns);
            addColumnSums(rows, n, columns, acc, sums, at);
        }
    }

    /**
     * Adds the column sums of the first {@code n} rows of the matrix [n, columns] (C order) in {@code rows}, summed in
     * float into {@code acc} (a work array of {@code columns} floats), to sums[at + c] in double: one run of
     * {@link #columnSums}, for callers that computed the rows on the heap.
     */
    public static void addColumnSums(float[] rows, int n, int columns, float[] acc, double[] sums, int at) {
        int full = F.loopBound(columns);
        java.util.Arrays.fill(acc, 0f);
        for (int q = 0; q < n; q++) {
            int row = q * columns;
            for (int c = 0; c < full; c += F.length()) {
                FloatVector.fromArray(F, acc, c).add(FloatVector.fromArray(F, rows, row + c)).intoArray(acc, c);
            }
            for (int c = full; c < columns; c++) {
                acc[c] += rows[row + c];
            }
        }
        for (int c = 0; c < columns; c++) {
            sums[at + c] += acc[c];
        }
    }

    /** The rows per run of {@link #columnSums} for {@code columns} columns. */
    public static int sumRun(int columns) {
        return Math.max(1, SUM_RUN * 16 / Math.max(16, columns));
    }

    /** Row by row of {@code z} [rows, columns] (C order): z ← z + b. */
    public static void bias(ByteBuffer z, ByteBuffer bias, int rows, int columns) {
        if (columns < F.length()) {
            // Narrow outputs (a 2-D score): masked loads from buffers are not compiled to vector instructions in
            // Java 17, plain float additions are as fast and give the same sums.
            java.nio.FloatBuffer zf = z.asFloatBuffer();
            java.nio.FloatBuffer bf = bias.asFloatBuffer();
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < columns; j++) {
                    int i = r * columns + j;
                    zf.put(i, zf.get(i) + bf.get(j));
                }
            }
            return;
        }
        int full = F.loopBound(columns);
        VectorMask<Float> tail = F.indexInRange(full, columns);
        for (int r = 0; r < rows; r++) {
            int row = r * columns;
            for (int j = 0; j < full; j += F.length()) {
                store(load(z, row + j).add(load(bias, j)), z, row + j);
            }
            if (full < columns) {
                store(load(z, row + full, tail).add(load(bias, full, tail)), z, row + full, tail);
            }
        }
    }

    /**
     * The swish derivative applied to a back-propagated gradient: g ← g·(s + a·(1 − s)), with s = sigmoid(z) and
     * a = z·s the layer's output, for {@code n} elements from index gi of g, si of s and ai of a; results below
     * {@link #TINY} become 0. Computed on heap tiles in whole vectors (past a tile's end on leftovers that are not
     * stored), as {@link #biasSwish} and for the same reason: with the flush it no longer inlined next to buffer loads.
     */
    public static void swishBackward(ByteBuffer g, int gi, ByteBuffer s, int si, ByteBuffer a, int ai, int n) {
        int tile = Math.min(TILE, (n + F.length() - 1) / F.length() * F.length());
        float[] gt = new float[tile];
        float[] st = new float[tile];
        float[] at = new float[tile];
        FloatBuffer gf = g.asFloatBuffer();
        FloatBuffer sf = s.asFloatBuffer();
        FloatBuffer af = a.asFloatBuffer();
        for (int done = 0; done < n; done += tile) {
            int length = Math.min(tile, n - done);
            gf.get(gi + done, gt, 0, length);
            sf.get(si + done, st, 0, length);
            af.get(ai + done, at, 0, length);
            swishBackwardTile(gt, st, at, length);
            gf.put(gi + done, gt, 0, length);
        }
    }

    /** Heap arrays per tile of the native passes that do not fit the JIT's inlining next to buffer loads. */
    private static final int TILE = 2048;

    private static void swishBackwardTile(float[] g, float[] s, float[] a, int length) {
        for (int j = 0; j < length; j += F.length()) {
            swishSlope(FloatVector.fromArray(F, g, j), FloatVector.fromArray(F, s, j), FloatVector.fromArray(F, a, j))
                    .intoArray(g, j);
        }
        flushTiny(g, length);
    }

    private static FloatVector swishSlope(FloatVector g, FloatVector s, FloatVector a) {
        return g.mul(s.add(a.mul(s.neg().add(1f))));
    }

    /** Σ x² over {@code n} elements, accumulated per lane in float and summed in double. */
    public static double sumOfSquares(ByteBuffer x, int n) {
        FloatVector acc = FloatVector.zero(F);
        int full = F.loopBound(n);
        for (int i = 0; i < full; i += F.length()) {
            FloatVector v = load(x, i);
            acc = acc.add(v.mul(v));
        }
        if (full < n) {
            FloatVector v = load(x, full, F.indexInRange(full, n));
            acc = acc.add(v.mul(v));
        }
        double sum = 0;
        for (int l = 0; l < F.length(); l++) {
            sum += acc.lane(l);
        }
        return sum;
    }

    /**
     * One Adam step on elements [from, to) of the parameters θ with gradient g·scale: m ← β₁m + (1 − β₁)g,
     * v ← β₂v + (1 − β₂)g², θ ← decay·θ − α·m/(√v + ε). The moments hold elements [from, to) from their index 0.
     *
     * @param alpha         the bias-corrected step size of this iteration
     * @param oneMinusBeta1 1 − β₁, computed in double by the caller: 1 − (float) β is off by up to 1.3·10⁻⁵ of itself
     *                      for β = 0.999
     * @param oneMinusBeta2 1 − β₂, likewise
     * @param decay         the decoupled weight decay factor 1 − lr·λ (AdamW), 1 for Adam
     */
    public static void adam(ByteBuffer theta, ByteBuffer g, ByteBuffer moment1, ByteBuffer moment2, int from, int to,
                     float scale, float alpha, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                     float epsilon, float decay) {
        int n = to - from;
        int full = F.loopBound(n);
        for (int k = 0; k < full; k += F.length()) {
            int i = from + k;
            FloatVector gv = load(g, i).mul(scale);
            FloatVector mv = load(moment1, k).mul(beta1).add(gv.mul(oneMinusBeta1));
            FloatVector vv = load(moment2, k).mul(beta2).add(gv.mul(gv).mul(oneMinusBeta2));
            store(mv, moment1, k);
            store(vv, moment2, k);
            FloatVector t = decay == 1f ? load(theta, i) : load(theta, i).mul(decay);
            store(t.sub(adamStep(mv, vv, alpha, epsilon)), theta, i);
        }
        if (full < n) {
            VectorMask<Float> m = F.indexInRange(full, n);
            int i = from + full;
            FloatVector gv = load(g, i, m).mul(scale);
            FloatVector mv = load(moment1, full, m).mul(beta1).add(gv.mul(oneMinusBeta1));
            FloatVector vv = load(moment2, full, m).mul(beta2).add(gv.mul(gv).mul(oneMinusBeta2));
            store(mv, moment1, full, m);
            store(vv, moment2, full, m);
            FloatVector t = decay == 1f ? load(theta, i, m) : load(theta, i, m).mul(decay);
            store(t.sub(adamStep(mv, vv, alpha, epsilon)), theta, i, m);
        }
    }

    /**
     * One step of SGD with momentum μ over {@code n} elements: b ← μ·b + g·scale, θ ← decay·θ − lr·b (or, Nesterov,
     * θ ← decay·θ − lr·(g·scale + μ·b)).
     */
    public static void sgd(ByteBuffer theta, ByteBuffer g, ByteBuffer buffer, int n, float scale, float lr, float momentum,
                           boolean nesterov, float decay) {
        int full = F.loopBound(n);
        for (int i = 0; i < full; i += F.length()) {
            FloatVector gv = load(g, i).mul(scale);
            FloatVector b = load(buffer, i).mul(momentum).add(gv);
            store(b, buffer, i);
            FloatVector step = nesterov ? gv.add(b.mul(momentum)) : b;
            FloatVector t = decay == 1f ? load(theta, i) : load(theta, i).mul(decay);
            store(t.sub(step.mul(lr)), theta, i);
        }
        if (full < n) {
            VectorMask<Float> m = F.indexInRange(full, n);
            FloatVector gv = load(g, full, m).mul(scale);
            FloatVector b = load(buffer, full, m).mul(momentum).add(gv);
            store(b, buffer, full, m);
            FloatVector step = nesterov ? gv.add(b.mul(momentum)) : b;
            FloatVector t = decay == 1f ? load(theta, full, m) : load(theta, full, m).mul(decay);
            store(t.sub(step.mul(lr)), theta, full, m);
        }
    }

    private static FloatVector adamStep(FloatVector m, FloatVector v, float alpha, float epsilon) {
        return m.mul(alpha).div(v.lanewise(VectorOperators.SQRT).add(epsilon));
    }

    /** avg ← r·avg + q·θ over {@code n} elements, q = 1 − r computed in double by the caller (see {@link #adam}). */
    public static void movingAverage(ByteBuffer avg, ByteBuffer theta, int n, float r, float q) {
        int full = F.loopBound(n);
        for (int i = 0; i < full; i += F.length()) {
            store(load(avg, i).mul(r).add(load(theta, i).mul(q)), avg, i);
        }
        if (full < n) {
            VectorMask<Float> m = F.indexInRange(full, n);
            store(load(avg, full, m).mul(r).add(load(theta, full, m).mul(q)), avg, full, m);
        }
    }
}
