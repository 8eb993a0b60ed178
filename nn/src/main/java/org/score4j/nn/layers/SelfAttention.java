package org.score4j.nn.layers;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.score4j.nn.Gradients;
import org.score4j.nn.Layer;
import org.score4j.nn.ParameterLayout;
import org.score4j.nn.ParameterLayout.Init;
import org.score4j.nn.Planes;
import org.score4j.nn.Weights;
import org.score4j.nn.cpu.FusedKernels;
import org.score4j.nn.cpu.OneDnn;
import org.score4j.nn.cpu.OneDnnMatmul;
import org.score4j.nn.cpu.OneDnnMatmul.Epilogue;
import org.score4j.nn.cpu.PlanarKernels;
import org.score4j.nn.cpu.VectorKernels;

/**
 * Multi-head self-attention over the positions of each image (the attention of DDPM's U-Net, without its
 * normalisation and residual, which the caller adds): with X the image's P positions × C channels, [Q K V] =
 * X·W_qkv + b_qkv, for each of H heads of d = C/H channels O_h = softmax(Q_h·K_hᵀ/√d)·V_h (softmax along each row),
 * and y = [O_1 … O_H]·W_o + b_o. Parameters: W_qkv [C, 3C] (the columns of Q, then K, then V; head h owns columns
 * h·d … (h + 1)·d − 1 of each), b_qkv [3C], W_o [C, C] and b_o [C], all C order.
 *
 * <p>x and y are in the layout the constructor says; the products run on NHWC rows [N·P, C] (a copy where the maps
 * are in blocks) as oneDNN matmul primitives, the per-head products as batched ones over the N·H (image, head) pairs
 * (each head's Q, K and V copied out to [N·H, P, d]); the softmax and its derivative are vector-API passes on the JVM.
 * Probabilities below 2⁻¹⁰⁰ are 0, so that no product runs on subnormal floats. The activations keep copies of
 * what the backward pass needs, and a reference to x where it is NHWC. dx may be dy.
 */
public final class SelfAttention implements Layer<SelfAttention.Activations> {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** W_qkv [C, 3C], b_qkv [3C], W_o [C, C] and b_o [C]. */
    public record Parts(ParameterLayout.Part qkvWeights, ParameterLayout.Part qkvBias, ParameterLayout.Part outWeights,
                        ParameterLayout.Part outBias) {
    }

    private final Parts parts;
    private final int channels;
    private final int heads;
    private final int depth;
    private final Planes.Geometry geometry;
    private final boolean blocked;

    /**
     * Declares W_qkv (He-normal), b_qkv (zero), W_o (He-normal times {@code outputScale}) and b_o (zero) in
     * {@code layout}, named {@code name.qkv.w}, {@code name.qkv.b}, {@code name.out.w} and {@code name.out.b}.
     */
    public static Parts declare(ParameterLayout layout, String name, int channels, double outputScale) {
        return new Parts(layout.add(name + ".qkv.w", Init.HE_NORMAL, 1.0, channels, 3L * channels),
                layout.add(name + ".qkv.b", Init.ZERO, 0, 3L * channels),
                layout.add(name + ".out.w", Init.HE_NORMAL, outputScale, channels, channels),
                layout.add(name + ".out.b", Init.ZERO, 0, channels));
    }

    /**
     * @param blocked whether x, y, dy and dx are in blocks of 16 channels, else NHWC
     * @throws IllegalArgumentException if {@code heads} does not divide {@code channels} or the parts do not fit
     */
    public SelfAttention(Parts parts, int channels, int heads, Planes.Geometry geometry, boolean blocked) {
        this.parts = Objects.requireNonNull(parts, "parts");
        if (channels < 1 || heads < 1 || channels % heads != 0) {
            throw new IllegalArgumentException("attention needs heads dividing the channels, got " + heads
                    + " heads of " + channels + " channels");
        }
        if (parts.qkvWeights().length() != 3L * channels * channels || parts.qkvBias().length() != 3L * channels
                || parts.outWeights().length() != (long) channels * channels || parts.outBias().length() != channels) {
            throw new IllegalArgumentException("parts " + parts + " do not fit attention over " + channels + " channels");
        }
        if (blocked && channels % Planes.BLOCK != 0) {
            throw new IllegalArgumentException("blocks of " + Planes.BLOCK + " channels need a multiple of "
                    + Planes.BLOCK + ", got " + channels);
        }
        this.channels = channels;
        this.heads = heads;
        this.depth = channels / heads;
        this.geometry = Objects.requireNonNull(geometry, "geometry");
        this.blocked = blocked;
    }

    /** Multiply–adds per example, twice: the projections (4·P·C²) and the two per-head products (2·P²·C). */
    public long forwardFlops() {
        long p = geometry.plane();
        return 2L * (4L * p * channels * channels + 2L * p * p * channels);
    }

    @Override
    public List<ParameterLayout.Part> parameters() {
        return List.of(parts.qkvWeights(), parts.qkvBias(), parts.outWeights(), parts.outBias());
    }

    @Override
    public Activations activations(int batch) {
        return new Activations(batch);
    }

    /**
     * {@inheritDoc} Per example: the projections' inputs and outputs (rows, QKV, the heads' Q, K and V, their outputs
     * and the joined outputs: 8·P·C), the probabilities (H·P²), and the backward pass's work (its gradients of the
     * same: 8·P·C + H·P², and P ones for the bias gradients); in blocks, 4·P·C more for the NHWC copies of x, y, dy
     * and dx.
     */
    @Override
    public double activationsPerExample() {
        return activationsPerExample(channels, heads, geometry.plane(), blocked);
    }

    /**
     * {@link #activationsPerExample()} of attention over {@code channels} channels of {@code pixels} positions, counted
     * in double (for footprints of networks too large to build).
     */
    public static double activationsPerExample(double channels, double heads, double pixels, boolean blocked) {
        return (16.0 + (blocked ? 4 : 0)) * pixels * channels + 2.0 * heads * pixels * pixels + pixels;
    }

    @Override
    public void forward(Weights weights, Planes x, Planes y, Activations a) {
        if (x.channels() != channels || !x.geometry().equals(geometry)) {
            throw new IllegalArgumentException("attention over " + channels + " channels of " + geometry + " given "
                    + x.channels() + " of " + x.geometry());
        }
        Planes rows = a.rows != null ? a.rows : x;
        if (a.rows != null) {
            relayout(x, a.rows);
        }
        a.x = x;
        a.qkvProduct.run(rows.pointer(), weights.at(parts.qkvWeights().offset()), weights.at(parts.qkvBias().offset()),
                a.qkv.pointer);
        heads(a.qkv, a.headInputs, 3 * channels, a.batch, true);
        a.scores.run(a.q(), a.k(), null, a.probabilities.pointer);
        softmax(a.probabilities, a.rowCount());
        a.mix.run(a.probabilities.pointer, a.v(), null, a.headOutputs.pointer);
        heads(a.joined, a.headOutputs, channels, a.batch, false);
        Planes out = a.yRows != null ? a.yRows : y;
        a.outProduct.run(a.joined.pointer, weights.at(parts.outWeights().offset()), weights.at(parts.outBias().offset()),
                out.pointer());
        if (a.yRows != null) {
            relayout(a.yRows, y);
        }
    }

    @Override
    public void backward(Weights weights, Activations a, Planes dy, Planes dx, Gradients gradients) {
        Planes dRows = a.dyRows != null ? a.dyRows : dy;
        if (a.dyRows != null) {
            relayout(dy, a.dyRows);
        }
        Planes rows = a.rows;
        if (gradients != null) {
            a.outWeightGradient.run(a.joined.pointer, dRows.pointer(), null, a.outWeightSum.pointer);
            gradients.add(parts.outWeights().offset(), a.outWeightSum.pointer, channels * channels);
            a.outBiasSum.run(a.ones.pointer, dRows.pointer(), null, a.outWeightSum.pointer);
            gradients.add(parts.outBias().offset(), a.outWeightSum.pointer, channels);
        }
        a.outInput.run(dRows.pointer(), weights.at(parts.outWeights().offset()), null, a.dJoined.pointer);
        heads(a.dJoined, a.dHeadOutputs, channels, a.batch, true);
        // dP = dO·Vᵀ (the forward's Q·Kᵀ shape), dV = Pᵀ·dO.
        a.scores.run(a.dHeadOutputs.pointer, a.v(), null, a.dProbabilities.pointer);
        a.transposedMix.run(a.probabilities.pointer, a.dHeadOutputs.pointer, null, a.dv());
        softmaxBackward(a.probabilities, a.dProbabilities, a.rowCount());
        // dQ = dS·K, dK = dSᵀ·Q, with dS the logits' gradient (the 1/√d included).
        a.mix.run(a.dProbabilities.pointer, a.k(), null, a.dq());
        a.transposedMix.run(a.dProbabilities.pointer, a.q(), null, a.dk());
        heads(a.dQkv, a.dHeads, 3 * channels, a.batch, false);
        if (gradients != null) {
            Pointer in = (rows != null ? rows : a.x).pointer();
            a.qkvWeightGradient.run(in, a.dQkv.pointer, null, a.qkvWeightSum.pointer);
            gradients.add(parts.qkvWeights().offset(), a.qkvWeightSum.pointer, 3 * channels * channels);
            a.qkvBiasSum.run(a.ones.pointer, a.dQkv.pointer, null, a.qkvWeightSum.pointer);
            gradients.add(parts.qkvBias().offset(), a.qkvWeightSum.pointer, 3 * channels);
        }
        if (dx != null) {
            Planes into = a.dxRows != null ? a.dxRows : dx;
            a.qkvInput.run(a.dQkv.pointer, weights.at(parts.qkvWeights().offset()), null, into.pointer());
            if (a.dxRows != null) {
                relayout(a.dxRows, dx);
            }
        }
    }

    private static void relayout(Planes src, Planes dst) {
        FusedKernels.inParts(src.batch(), src.geometry().plane() * src.channels(),
                (from, to) -> PlanarKernels.relayout(src, dst, from, to));
    }

    /**
     * Between rows [N·P, width] (width = C or 3C: the columns of Q, K, V one after the other) and heads
     * [width / C][N·H, P, d]: rows into heads when {@code split}, else back.
     */
    private void heads(Buffer rows, Buffer split, int width, int batch, boolean toHeads) {
        int plane = geometry.plane();
        int sections = width / channels;
        FusedKernels.inParts(batch, plane * width, (from, to) -> {
            float[] row = new float[width];
            float[] part = new float[depth];
            for (int n = from; n < to; n++) {
                for (int p = 0; p < plane; p++) {
                    int at = (n * plane + p) * width;
                    if (!toHeads) {
                        for (int s = 0; s < sections; s++) {
                            for (int h = 0; h < heads; h++) {
                                split.floats.get(headIndex(s, batch, n, h, p), part, 0, depth);
                                System.arraycopy(part, 0, row, s * channels + h * depth, depth);
                            }
                        }
                        rows.floats.put(at, row, 0, width);
                        continue;
                    }
                    rows.floats.get(at, row, 0, width);
                    for (int s = 0; s < sections; s++) {
                        for (int h = 0; h < heads; h++) {
                            split.floats.put(headIndex(s, batch, n, h, p), row, s * channels + h * depth, depth);
                        }
                    }
                }
            }
        });
    }

    /** Index of position p of head h of image n in section s (Q, K, V) of heads [sections][N·H, P, d]. */
    private int headIndex(int section, int batch, int n, int h, int p) {
        int plane = geometry.plane();
        return ((section * batch + n) * heads + h) * plane * depth + p * depth;
    }

    /** Each row of P logits ← softmax(row/√d), in place. */
    private void softmax(Buffer logits, int rows) {
        int plane = geometry.plane();
        float scale = (float) (1 / Math.sqrt(depth));
        FusedKernels.inParts(rows, plane, (from, to) -> {
            float[] t = new float[padded(plane)];
            for (int r = from; r < to; r++) {
                logits.floats.get(r * plane, t, 0, plane);
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < plane; j++) {
                    max = Math.max(max, t[j]);
                }
                java.util.Arrays.fill(t, plane, t.length, max);
                for (int j = 0; j < t.length; j += F.length()) {
                    VectorKernels.exp(FloatVector.fromArray(F, t, j).sub(max).mul(scale)).intoArray(t, j);
                }
                double sum = 0;
                for (int j = 0; j < plane; j++) {
                    sum += t[j];
                }
                float inverse = (float) (1 / sum);
                for (int j = 0; j < t.length; j += F.length()) {
                    FloatVector.fromArray(F, t, j).mul(inverse).intoArray(t, j);
                }
                VectorKernels.flushTiny(t, t.length);
                logits.floats.put(r * plane, t, 0, plane);
            }
        });
    }

    /**
     * Each row: dP ← P ⊙ (dP − Σ dP ⊙ P)/√d, the gradient of the logits (before the 1/√d) from that of the
     * probabilities, in place.
     */
    private void softmaxBackward(Buffer probabilities, Buffer gradient, int rows) {
        int plane = geometry.plane();
        float scale = (float) (1 / Math.sqrt(depth));
        FusedKernels.inParts(rows, plane, (from, to) -> {
            float[] p = new float[padded(plane)];
            float[] g = new float[p.length];
            for (int r = from; r < to; r++) {
                probabilities.floats.get(r * plane, p, 0, plane);
                gradient.floats.get(r * plane, g, 0, plane);
                double dot = 0;
                for (int j = 0; j < plane; j++) {
                    dot += (double) g[j] * p[j];
                }
                float d = (float) dot;
                for (int j = 0; j < p.length; j += F.length()) {
                    FloatVector.fromArray(F, g, j).sub(d).mul(FloatVector.fromArray(F, p, j)).mul(scale).intoArray(g, j);
                }
                VectorKernels.flushTiny(g, g.length);
                gradient.floats.put(r * plane, g, 0, plane);
            }
        });
    }

    private static int padded(int length) {
        return (length + F.length() - 1) / F.length() * F.length();
    }

    /** Zeroed native floats. */
    private static final class Buffer {
        private final FloatPointer pointer;
        private final FloatBuffer floats;
        private final long length;

        Buffer(long length) {
            this.length = length;
            this.pointer = new FloatPointer(length);
            Pointer.memset(pointer, 0, 4 * length);
            this.floats = pointer.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
        }

        void release() {
            pointer.deallocate();
        }
    }

    /** What a forward pass keeps, the backward pass's work space, and the primitives, for one batch size. */
    public final class Activations implements Layer.Activations {
        private final int batch;
        private final Planes rows;
        private final Planes yRows;
        private final Planes dyRows;
        private final Planes dxRows;
        private final Buffer qkv;
        private final Buffer headInputs;
        private final Buffer probabilities;
        private final Buffer headOutputs;
        private final Buffer joined;
        private final Buffer dJoined;
        private final Buffer dHeadOutputs;
        private final Buffer dProbabilities;
        private final Buffer dHeads;
        private final Buffer dQkv;
        private final Buffer ones;
        private final Buffer outWeightSum;
        private final Buffer qkvWeightSum;
        private final OneDnnMatmul qkvProduct;
        private final OneDnnMatmul scores;
        private final OneDnnMatmul mix;
        private final OneDnnMatmul transposedMix;
        private final OneDnnMatmul outProduct;
        private final OneDnnMatmul outWeightGradient;
        private final OneDnnMatmul outBiasSum;
        private final OneDnnMatmul outInput;
        private final OneDnnMatmul qkvWeightGradient;
        private final OneDnnMatmul qkvBiasSum;
        private final OneDnnMatmul qkvInput;
        /** x where it is NHWC (no copy). */
        private Planes x;

        private Activations(int batch) {
            this.batch = batch;
            long p = geometry.plane();
            long positions = batch * p;
            long perHead = (long) batch * heads;
            rows = blocked ? Planes.allocate(channels, channels, batch, geometry) : null;
            yRows = blocked ? Planes.allocate(channels, channels, batch, geometry) : null;
            dyRows = blocked ? Planes.allocate(channels, channels, batch, geometry) : null;
            dxRows = blocked ? Planes.allocate(channels, channels, batch, geometry) : null;
            qkv = new Buffer(3 * positions * channels);
            headInputs = new Buffer(3 * positions * channels);
            probabilities = new Buffer(perHead * p * p);
            headOutputs = new Buffer(positions * channels);
            joined = new Buffer(positions * channels);
            dJoined = new Buffer(positions * channels);
            dHeadOutputs = new Buffer(positions * channels);
            dProbabilities = new Buffer(perHead * p * p);
            dHeads = new Buffer(3 * positions * channels);
            dQkv = new Buffer(3 * positions * channels);
            ones = new Buffer(positions);
            for (int i = 0; i < positions; i++) {
                ones.floats.put(i, 1f);
            }
            outWeightSum = new Buffer((long) channels * channels);
            qkvWeightSum = new Buffer(3L * channels * channels);
            stream s = new stream(OneDnn.engine());
            long c = channels;
            qkvProduct = new OneDnnMatmul(s, positions, c, 3 * c, false, false, Epilogue.BIAS);
            scores = new OneDnnMatmul(s, perHead, p, depth, p, false, true, Epilogue.NONE);
            mix = new OneDnnMatmul(s, perHead, p, p, depth, false, false, Epilogue.NONE);
            transposedMix = new OneDnnMatmul(s, perHead, p, p, depth, true, false, Epilogue.NONE);
            outProduct = new OneDnnMatmul(s, positions, c, c, false, false, Epilogue.BIAS);
            outWeightGradient = new OneDnnMatmul(s, c, positions, c, true, false, Epilogue.NONE);
            outBiasSum = new OneDnnMatmul(s, 1, positions, c, false, false, Epilogue.NONE);
            outInput = new OneDnnMatmul(s, positions, c, c, false, true, Epilogue.NONE);
            qkvWeightGradient = new OneDnnMatmul(s, c, positions, 3 * c, true, false, Epilogue.NONE);
            qkvBiasSum = new OneDnnMatmul(s, 1, positions, 3 * c, false, false, Epilogue.NONE);
            qkvInput = new OneDnnMatmul(s, positions, 3 * c, c, false, true, Epilogue.NONE);
        }

        /** Rows of the probabilities: one per (image, head, position). */
        private int rowCount() {
            return batch * heads * geometry.plane();
        }

        private Pointer section(Buffer b, int s) {
            return b.pointer.getPointer((long) s * batch * geometry.plane() * channels);
        }

        private Pointer q() {
            return section(headInputs, 0);
        }

        private Pointer k() {
            return section(headInputs, 1);
        }

        private Pointer v() {
            return section(headInputs, 2);
        }

        private Pointer dq() {
            return section(dHeads, 0);
        }

        private Pointer dk() {
            return section(dHeads, 1);
        }

        private Pointer dv() {
            return section(dHeads, 2);
        }

        @Override
        public int batch() {
            return batch;
        }

        @Override
        public long floats() {
            long total = qkv.length + headInputs.length + probabilities.length + headOutputs.length + joined.length
                    + dJoined.length + dHeadOutputs.length + dProbabilities.length + dHeads.length + dQkv.length
                    + ones.length;
            for (Planes m : new Planes[] {rows, yRows, dyRows, dxRows}) {
                total += m == null ? 0 : m.length();
            }
            return total;
        }

        @Override
        public void release() {
            for (Buffer b : new Buffer[] {qkv, headInputs, probabilities, headOutputs, joined, dJoined, dHeadOutputs,
                    dProbabilities, dHeads, dQkv, ones, outWeightSum, qkvWeightSum}) {
                b.release();
            }
            for (Planes m : new Planes[] {rows, yRows, dyRows, dxRows}) {
                if (m != null) {
                    m.release();
                }
            }
            x = null;
        }
    }
}
