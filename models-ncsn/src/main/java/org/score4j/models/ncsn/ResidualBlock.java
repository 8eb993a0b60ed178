package org.score4j.models.ncsn;

import org.score4j.nn.Gradients;
import org.score4j.nn.Planes;
import org.score4j.nn.Weights;
import org.score4j.nn.cpu.FusedKernels;
import org.score4j.nn.cpu.PlanarKernels;
import org.score4j.nn.layers.Convolution;
import org.score4j.nn.layers.Dense;
import org.score4j.nn.layers.GroupNorm;
import org.score4j.nn.layers.Swish;

/**
 * A residual block of {@link DirectUnet} from i to o channels at one level: [norm,] swish, 3×3 conv i → o, + the σ
 * bias dense(E → o) of the embedding (with σ conditioning), [norm,] swish, 3×3 conv o → o, plus the input (through a
 * 1×1 conv where i ≠ o). The wiring only: the arithmetic is the engine's layers'. Declares its parameters in the
 * order {@link UnetGraph#residual} does.
 */
final class ResidualBlock {
    private final int level;
    private final int in;
    private final int out;
    private final Planes.Geometry geometry;
    private final boolean blocked;
    private final GroupNorm norm1;
    private final Swish swish1;
    private final Convolution conv1;
    private final Dense sigma;
    private final GroupNorm norm2;
    private final Swish swish2;
    private final Convolution conv2;
    private final Convolution skip;

    /** @param blocked whether the network keeps maps of 16k channels in blocks of 16 (else NHWC) */
    ResidualBlock(UnetParameters parameters, UnetArchitecture architecture, String name, int level, int in, int out,
                  Planes.Geometry geometry, boolean blocked) {
        this.level = level;
        this.in = in;
        this.out = out;
        this.geometry = geometry;
        this.blocked = blocked;
        long pixels = geometry.plane();
        boolean inBlocks = blocked && in % Planes.BLOCK == 0;
        boolean outBlocks = blocked && out % Planes.BLOCK == 0;
        norm1 = architecture.normalised() ? new GroupNorm(parameters.groupNorm(name + ".norm1", in), in,
                architecture.groups()) : null;
        swish1 = new Swish(in, geometry);
        conv1 = new Convolution(parameters.convolution(name + ".conv1", in, out, 3, 1.0, pixels), in, out, 3, 1,
                geometry, inBlocks, outBlocks);
        sigma = architecture.conditioned() ? new Dense(parameters.dense(name + ".sigma", architecture.embeddingWidth(),
                out), architecture.embeddingWidth(), out) : null;
        norm2 = architecture.normalised() ? new GroupNorm(parameters.groupNorm(name + ".norm2", out), out,
                architecture.groups()) : null;
        swish2 = new Swish(out, geometry);
        conv2 = new Convolution(parameters.convolution(name + ".conv2", out, out, 3, 0.1, pixels), out, out, 3, 1,
                geometry, outBlocks, outBlocks);
        skip = in == out ? null : new Convolution(parameters.convolution(name + ".skip", in, out, 1, 1.0, pixels), in,
                out, 1, 1, geometry, inBlocks, outBlocks);
    }

    int level() {
        return level;
    }

    int out() {
        return out;
    }

    /** The maps and the layers' activations for batches of n. */
    Activations activations(int n) {
        return new Activations(n);
    }

    /**
     * y = block(h) into {@code a.y()}, with the σ embedding rows [N, E] (ignored without σ conditioning); h and the
     * embedding must stay unchanged until the backward passes are done.
     */
    Planes forward(Weights w, Planes h, Planes embedding, Activations a) {
        a.h = h;
        Planes pre0 = h;
        if (norm1 != null) {
            norm1.forward(w, h, a.n0, a.norm1);
            pre0 = a.n0;
        }
        swish1.forward(w, pre0, a.a0, a.swish1);
        conv1.forward(w, a.a0, a.v1, a.conv1);
        if (sigma != null) {
            sigma.forward(w, embedding, a.e, a.sigma);
            float[] e = new float[a.e.length()];
            a.e.floats().get(0, e);
            finish(a.v1, a.v1, null, e);
        }
        Planes pre1 = a.v1;
        if (norm2 != null) {
            norm2.forward(w, a.v1, a.n1, a.norm2);
            pre1 = a.n1;
        }
        swish2.forward(w, pre1, a.a1, a.swish2);
        Planes add = h;
        if (skip != null) {
            skip.forward(w, h, a.skipOut, a.skip);
            add = a.skipOut;
        }
        conv2.forward(w, a.a1, a.y, a.conv2);
        finish(a.y, a.y, add, null);
        return a.y;
    }

    /**
     * Back from dy, the gradient of the block's output: returns the gradient of its input (maps of {@code a}); adds
     * the parameter gradients into {@code g} unless it is null, and then the gradient of the σ embedding into
     * {@code dEmbedding} (rows [N, E]), with {@code part} as work rows of its shape.
     */
    Planes backward(Weights w, Planes dy, Gradients g, Planes dEmbedding, Planes part, Activations a) {
        conv2.backward(w, a.conv2, dy, a.da1, g);
        swish2.backward(w, a.swish2, a.da1, a.da1, null);
        if (norm2 != null) {
            norm2.backward(w, a.norm2, a.da1, a.da1, g);
        }
        if (sigma != null && g != null) {
            double[] sums = new double[a.batch * out];
            Planes dv = a.da1;
            FusedKernels.inParts(dv.chunks(), dv.chunkLength(), (from, to) -> PlanarKernels.imageSums(dv, sums, from,
                    to));
            float[] de = new float[sums.length];
            for (int i = 0; i < de.length; i++) {
                de[i] = (float) sums[i];
            }
            a.de.floats().put(0, de);
            sigma.backward(w, a.sigma, a.de, part, g);
            float[] into = new float[dEmbedding.length()];
            float[] add = new float[into.length];
            dEmbedding.floats().get(0, into);
            part.floats().get(0, add);
            for (int i = 0; i < into.length; i++) {
                into[i] += add[i];
            }
            dEmbedding.floats().put(0, into);
        }
        conv1.backward(w, a.conv1, a.da1, a.da0, g);
        swish1.backward(w, a.swish1, a.da0, a.da0, null);
        if (norm1 != null) {
            norm1.backward(w, a.norm1, a.da0, a.da0, g);
        }
        Planes residual = dy;
        if (skip != null) {
            skip.backward(w, a.skip, dy, a.skipDx, g);
            residual = a.skipDx;
        }
        finish(a.da0, a.da0, residual, null);
        return a.da0;
    }

    /** dst ← src + add + e[image] over all chunks on score4j's threads (see {@link PlanarKernels#finish}). */
    private static void finish(Planes src, Planes dst, Planes add, float[] e) {
        FusedKernels.inParts(src.chunks(), src.chunkLength(), (from, to) -> PlanarKernels.finish(src, dst, add, e, from,
                to));
    }

    /** The block's maps and its layers' activations for one batch size. */
    final class Activations {
        private final int batch;
        private final Planes a0;
        private final Planes da0;
        private final Planes v1;
        private final Planes a1;
        private final Planes da1;
        private final Planes y;
        private final Planes n0;
        private final Planes n1;
        private final Planes skipOut;
        private final Planes skipDx;
        private final Planes e;
        private final Planes de;
        private final GroupNorm.Activations norm1;
        private final GroupNorm.Activations norm2;
        private final Swish.Activations swish1;
        private final Swish.Activations swish2;
        private final Convolution.Activations conv1;
        private final Convolution.Activations conv2;
        private final Convolution.Activations skip;
        private final Dense.Activations sigma;
        /** The input of the last forward pass. */
        private Planes h;

        private Activations(int n) {
            this.batch = n;
            a0 = maps(in, n);
            da0 = maps(in, n);
            v1 = maps(out, n);
            a1 = maps(out, n);
            da1 = maps(out, n);
            y = maps(out, n);
            n0 = ResidualBlock.this.norm1 != null ? maps(in, n) : null;
            n1 = ResidualBlock.this.norm2 != null ? maps(out, n) : null;
            skipOut = ResidualBlock.this.skip != null ? maps(out, n) : null;
            skipDx = ResidualBlock.this.skip != null ? maps(in, n) : null;
            e = ResidualBlock.this.sigma != null ? Planes.allocate(out, out, n, Planes.Geometry.POINT) : null;
            de = ResidualBlock.this.sigma != null ? Planes.allocate(out, out, n, Planes.Geometry.POINT) : null;
            norm1 = ResidualBlock.this.norm1 != null ? ResidualBlock.this.norm1.activations(n) : null;
            norm2 = ResidualBlock.this.norm2 != null ? ResidualBlock.this.norm2.activations(n) : null;
            swish1 = ResidualBlock.this.swish1.activations(n);
            swish2 = ResidualBlock.this.swish2.activations(n);
            conv1 = ResidualBlock.this.conv1.activations(n);
            conv2 = ResidualBlock.this.conv2.activations(n);
            skip = ResidualBlock.this.skip != null ? ResidualBlock.this.skip.activations(n) : null;
            sigma = ResidualBlock.this.sigma != null ? ResidualBlock.this.sigma.activations(n) : null;
        }

        private Planes maps(int channels, int n) {
            return Planes.allocate(channels, blocked, n, geometry);
        }

        private Planes[] all() {
            return new Planes[] {a0, da0, v1, a1, da1, y, n0, n1, skipOut, skipDx, e, de};
        }

        /** Floats of the maps and the layers' activations. */
        long floats() {
            long total = 0;
            for (Planes p : all()) {
                total += p == null ? 0 : p.length();
            }
            for (org.score4j.nn.Layer.Activations l : new org.score4j.nn.Layer.Activations[] {norm1, norm2, swish1,
                    swish2, conv1, conv2, skip, sigma}) {
                total += l == null ? 0 : l.floats();
            }
            return total;
        }

        void release() {
            for (Planes p : all()) {
                if (p != null) {
                    p.release();
                }
            }
            for (org.score4j.nn.Layer.Activations l : new org.score4j.nn.Layer.Activations[] {norm1, norm2, swish1,
                    swish2, conv1, conv2, skip, sigma}) {
                if (l != null) {
                    l.release();
                }
            }
            h = null;
        }
    }
}
