package org.score4j.nn.samediff;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.score4j.nn.layers.Convolution;
import org.score4j.nn.layers.Dense;
import org.score4j.nn.layers.GroupNorm;
import org.score4j.nn.layers.SelfAttention;

/**
 * The engine's layers as SameDiff expressions on NCHW maps: the reference each CPU layer is tested against, and how
 * a SameDiff graph (a network's path for other backends) computes the same thing with the same parameters, declared
 * with the layers' own {@code declare} methods. Each method takes the layer's parameters as graph variables of the
 * declared shapes.
 */
public final class SameDiffLayers {
    private SameDiffLayers() {
    }

    /** x·sigmoid(x) from its parts: SameDiff's fused swish's gradient overflows to NaN for inputs above ~44. */
    public static SDVariable swish(SameDiff sd, SDVariable x) {
        return x.mul(sd.nn.sigmoid(x));
    }

    /** {@link Convolution}: x [N, in, H, W], kernel [k, k, in, out], bias [out], SAME padding. */
    public static SDVariable convolution(SameDiff sd, SDVariable x, SDVariable kernel, SDVariable bias, int k,
                                         int stride) {
        return sd.cnn.conv2d(x, kernel, bias, Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride)
                .paddingMode(PaddingMode.SAME).dataFormat("NCHW").build());
    }

    /** {@link Dense}: x [N, in], W [in, out], b [1, out]. */
    public static SDVariable dense(SDVariable x, SDVariable weights, SDVariable bias) {
        return x.mmul(weights).add(bias);
    }

    /** {@link GroupNorm}: x [N, C, H, W] in {@code groups} groups, γ and β [C]. */
    public static SDVariable groupNorm(SameDiff sd, SDVariable x, SDVariable gamma, SDVariable beta, int channels,
                                       int groups, int height, int width) {
        long size = (long) channels / groups * height * width;
        SDVariable grouped = x.reshape(-1, groups, size);
        SDVariable centred = grouped.sub(grouped.mean(true, 2));
        SDVariable variance = centred.mul(centred).mean(true, 2);
        SDVariable normalised = centred.mul(sd.math.rsqrt(variance.add(GroupNorm.EPSILON)))
                .reshape(-1, channels, height, width);
        return normalised.mul(gamma.reshape(1, channels, 1, 1)).add(beta.reshape(1, channels, 1, 1));
    }

    /**
     * {@link SelfAttention}: x [N, C, H, W], W_qkv [C, 3C], b_qkv [3C], W_o [C, C], b_o [C], {@code heads} heads; the
     * attention only (no normalisation, no residual).
     */
    public static SDVariable selfAttention(SameDiff sd, SDVariable x, SDVariable qkvWeights, SDVariable qkvBias,
                                           SDVariable outWeights, SDVariable outBias, int channels, int heads,
                                           int height, int width) {
        int plane = height * width;
        int depth = channels / heads;
        SDVariable rows = x.reshape(-1, channels, plane).permute(0, 2, 1).reshape(-1, channels);
        SDVariable qkv = rows.mmul(qkvWeights).add(qkvBias.reshape(1, 3L * channels));
        // [N·P, 3C] → [3, N, H, P, d]: the columns of Q, K and V, each split into heads.
        SDVariable split = qkv.reshape(-1, plane, 3, heads, depth).permute(2, 0, 3, 1, 4);
        SDVariable[] qkvs = sd.unstack(split, 0, 3);
        SDVariable logits = sd.mmul(qkvs[0], qkvs[1], false, true, false).mul(1 / Math.sqrt(depth));
        SDVariable probabilities = sd.nn.softmax(logits, -1);
        SDVariable joined = sd.mmul(probabilities, qkvs[2]).permute(0, 2, 1, 3).reshape(-1, channels);
        SDVariable out = joined.mmul(outWeights).add(outBias.reshape(1, channels));
        return out.reshape(-1, plane, channels).permute(0, 2, 1).reshape(-1, channels, height, width);
    }
}
