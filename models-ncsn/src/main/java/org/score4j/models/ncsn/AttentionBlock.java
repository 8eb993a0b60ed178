package org.score4j.models.ncsn;

import org.score4j.nn.Gradients;
import org.score4j.nn.Planes;
import org.score4j.nn.Weights;
import org.score4j.nn.cpu.FusedKernels;
import org.score4j.nn.cpu.PlanarKernels;
import org.score4j.nn.layers.GroupNorm;
import org.score4j.nn.layers.SelfAttention;

/**
 * An attention block of {@link DirectUnet} after a residual block: y = x + attention([norm](x)), self-attention over
 * the level's positions (DDPM's {@code AttnBlock}). The wiring only; declares its parameters in the order
 * {@link UnetGraph#attention} does.
 */
final class AttentionBlock {
    private final int channels;
    private final Planes.Geometry geometry;
    private final boolean blocked;
    private final GroupNorm norm;
    private final SelfAttention attention;

    AttentionBlock(UnetParameters parameters, UnetArchitecture architecture, String name, int channels,
                   Planes.Geometry geometry, boolean blocked) {
        this.channels = channels;
        this.geometry = geometry;
        this.blocked = blocked;
        norm = architecture.normalised() ? new GroupNorm(parameters.groupNorm(name + ".attention.norm", channels),
                channels, architecture.groups()) : null;
        attention = new SelfAttention(parameters.attention(name + ".attention", channels, geometry.plane()), channels,
                architecture.heads(), geometry, blocked && channels % Planes.BLOCK == 0);
    }

    Activations activations(int n) {
        return new Activations(n);
    }

    /** y = x + attention([norm](x)) into {@code a}'s maps; x must stay unchanged until the backward passes are done. */
    Planes forward(Weights w, Planes x, Activations a) {
        Planes in = x;
        if (norm != null) {
            norm.forward(w, x, a.normalised, a.norm);
            in = a.normalised;
        }
        attention.forward(w, in, a.y, a.attention);
        FusedKernels.inParts(x.chunks(), x.chunkLength(), (from, to) -> PlanarKernels.finish(a.y, a.y, x, null, from,
                to));
        return a.y;
    }

    /** The gradient of x from dy (maps of {@code a}), the parameter gradients added into {@code g} unless null. */
    Planes backward(Weights w, Planes dy, Gradients g, Activations a) {
        attention.backward(w, a.attention, dy, a.dx, g);
        if (norm != null) {
            norm.backward(w, a.norm, a.dx, a.dx, g);
        }
        FusedKernels.inParts(dy.chunks(), dy.chunkLength(), (from, to) -> PlanarKernels.finish(a.dx, a.dx, dy, null,
                from, to));
        return a.dx;
    }

    /** The block's maps and its layers' activations for one batch size. */
    final class Activations {
        private final Planes normalised;
        private final Planes y;
        private final Planes dx;
        private final GroupNorm.Activations norm;
        private final SelfAttention.Activations attention;

        private Activations(int n) {
            normalised = AttentionBlock.this.norm != null ? Planes.allocate(channels, blocked, n, geometry) : null;
            y = Planes.allocate(channels, blocked, n, geometry);
            dx = Planes.allocate(channels, blocked, n, geometry);
            norm = AttentionBlock.this.norm != null ? AttentionBlock.this.norm.activations(n) : null;
            attention = AttentionBlock.this.attention.activations(n);
        }

        long floats() {
            return (normalised != null ? normalised.length() : 0) + y.length() + dx.length()
                    + (norm != null ? norm.floats() : 0) + attention.floats();
        }

        void release() {
            for (Planes p : new Planes[] {normalised, y, dx}) {
                if (p != null) {
                    p.release();
                }
            }
            if (norm != null) {
                norm.release();
            }
            attention.release();
        }
    }
}
