package com.example.score4j;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.score4j.nn.samediff.GraphBuilder;
import org.score4j.nn.samediff.SameDiffLayers;
import org.score4j.nn.samediff.ScoreGraph;

/**
 * A residual MLP score network for vectors (images are flattened), written as its forward computation only: score4j-nn's
 * {@link org.score4j.nn.samediff.SameDiffBlueprint} turns it into a model with a flat parameter vector and both
 * vector–Jacobian products, and the runner trains, saves and restores it like any other.
 *
 * <p>Its input is x/√(σ² + s²) (s the data's scale) with the features c = ln(σ/s)/4, sin(kπc) and cos(kπc) for
 * k = 1..4; a dense layer to {@code hidden} units; {@code blocks} residual blocks h ← h + W₂·swish(W₁·swish(h) + b₁) + b₂
 * (W₂ starts small, so each block starts near the identity); and a dense output layer on swish(h), divided by σ, so
 * that the network regresses σ·∇log q_σ, of unit scale at every level (NCSNv2's output scaling).
 */
final class ResNetMlp implements ScoreGraph {
    static final String NAME = "resnet-mlp";
    /** Fourier frequencies of the σ features. */
    private static final int FREQUENCIES = 4;

    private final int hidden;
    private final int blocks;

    ResNetMlp(int hidden, int blocks) {
        if (hidden < 1 || blocks < 0) {
            throw new IllegalArgumentException("need hidden >= 1 and blocks >= 0, got " + hidden + " and " + blocks);
        }
        this.hidden = hidden;
        this.blocks = blocks;
    }

    @Override
    public SDVariable define(GraphBuilder in) {
        SameDiff sd = in.sd();
        int d = Math.toIntExact(in.exampleSize());
        double s = in.dataScale();
        SDVariable sigma = in.sigma();
        SDVariable x = in.x().reshape(-1, d).div(sd.math.sqrt(sigma.mul(sigma).add(s * s)));
        SDVariable c = sd.math.log(sigma.div(s)).div(4);
        SDVariable[] parts = new SDVariable[2 + 2 * FREQUENCIES];
        parts[0] = x;
        parts[1] = c;
        for (int k = 1; k <= FREQUENCIES; k++) {
            parts[2 * k] = sd.math.sin(c.mul(Math.PI * k));
            parts[2 * k + 1] = sd.math.cos(c.mul(Math.PI * k));
        }
        SDVariable h = in.dense("in", sd.concat(1, parts), d + 1 + 2 * FREQUENCIES, hidden, 1.0);
        for (int b = 0; b < blocks; b++) {
            SDVariable r = in.dense("block" + b + ".1", SameDiffLayers.swish(sd, h), hidden, hidden, 1.0);
            h = h.add(in.dense("block" + b + ".2", SameDiffLayers.swish(sd, r), hidden, hidden, 0.1));
        }
        SDVariable out = in.dense("out", SameDiffLayers.swish(sd, h), hidden, d, 1.0).div(sigma);
        return sd.reshape(out, sd.shape(in.x()));
    }
}
