package org.score4j.models.ncsn;

import java.util.Arrays;
import java.util.List;
import org.score4j.api.spi.ModelFootprint;

/**
 * The shape of a noise-conditional U-Net.
 *
 * <p>Its layers, with w_l = channels × multipliers[l] at level l (resolution halved l times), E = 4 × channels and F
 * σ-feature inputs (1 + embedding, plus C + 1 label slots for C &gt; 0 classes): with {@code bias}, a dense layer
 * F → E whose swish is the σ embedding; an input convolution (3×3, image channels → w₀); per level, {@code blocks}
 * residual blocks (the first from w_{l−1}), then a stride-2 3×3 convolution down (but on the last level); a middle
 * block; per level from the top, a block on the concatenated skip (2w_l → w_l), then nearest-neighbour upsampling and
 * a 3×3 convolution (w_l → w_{l−1}) (but on level 0); the swish and a 3×3 output convolution (w₀ → image channels). A
 * block from i to o channels is swish, 3×3 conv i → o, + dense(E → o) of the σ embedding (with {@code bias}), swish,
 * 3×3 conv o → o, plus the input (through a 1×1 conv i → o where i ≠ o).
 *
 * @param channels      feature maps at full resolution
 * @param multipliers   channel multiplier per resolution level; the resolution halves between levels
 * @param blocks        residual blocks per level on the way down (and up)
 * @param conditioning  {@code bias}: every residual block adds a learned per-channel bias computed from features
 *                      of log σ (as DDPM adds its time embedding) and, for a class-conditional model, of the label;
 *                      {@code none}: the network does not see σ and only the 1/σ output scaling conditions it
 *                      (NCSNv2's unconditional network), so it cannot take class labels either
 * @param embedding     Fourier features of log σ besides log σ itself (even), with {@code bias}
 * @param inputScaling  feed x/√(σ² + s²) (s = data scale) instead of x
 * @param outputScaling the network predicts σ·s(x, σ) and the score is its output divided by σ
 */
public record UnetArchitecture(int channels, List<Integer> multipliers, int blocks, String conditioning, int embedding,
                               boolean inputScaling, boolean outputScaling) {
    static final List<String> CONDITIONINGS = List.of("bias", "none");
    /** The most channels at any level: far beyond any network that fits in memory, and no int product overflows. */
    static final int MAX_WIDTH = 1 << 16;

    public UnetArchitecture {
        multipliers = List.copyOf(multipliers);
        if (channels < 1 || blocks < 1 || multipliers.isEmpty() || multipliers.stream().anyMatch(m -> m < 1)) {
            throw new IllegalArgumentException("need channels >= 1, blocks >= 1 and at least one multiplier, all >= 1");
        }
        if (multipliers.stream().anyMatch(m -> (long) channels * m > MAX_WIDTH)) {
            throw new IllegalArgumentException("channels × multiplier must be at most " + MAX_WIDTH + " at every level, got "
                    + channels + " × " + multipliers);
        }
        if (multipliers.size() > 30) {
            throw new IllegalArgumentException("at most 30 resolution levels, got " + multipliers.size());
        }
        if (embedding < 0 || embedding % 2 != 0) {
            throw new IllegalArgumentException("embedding must be even and >= 0, got " + embedding);
        }
        if (!CONDITIONINGS.contains(conditioning)) {
            throw new IllegalArgumentException("conditioning must be one of " + CONDITIONINGS + ", got " + conditioning);
        }
    }

    /** Number of resolution levels. */
    int levels() {
        return multipliers.size();
    }

    int width(int level) {
        return channels * multipliers.get(level);
    }

    /** Whether the blocks see σ (and the label). */
    boolean conditioned() {
        return conditioning.equals("bias");
    }

    /** Width of the σ embedding the blocks' biases are computed from: 4 × channels. */
    int embeddingWidth() {
        return 4 * channels;
    }

    /**
     * Why this network cannot take examples of {@code shape}, or null if it can: it needs [C, H, W] with H and W
     * divisible by 2^(levels − 1).
     */
    String unsupported(long[] shape) {
        if (shape.length != 3 || Arrays.stream(shape).anyMatch(s -> s < 1)) {
            return "ncsn-unet needs images of shape [channels, height, width], got " + Arrays.toString(shape);
        }
        long factor = 1L << (levels() - 1);
        if (shape[1] % factor != 0 || shape[2] % factor != 0) {
            return "ncsn-unet with " + levels() + " levels halves the resolution " + (levels() - 1)
                    + " times, so height and width must be divisible by " + factor + ", got " + shape[1] + "×"
                    + shape[2] + "; use fewer multipliers";
        }
        return null;
    }

    /** Why this network cannot be conditioned on {@code classes} classes, or null if it can. */
    String unsupported(int classes) {
        if (classes > 0 && !conditioned()) {
            return "ncsn-unet with conditioning = none does not see σ or labels, so it cannot be conditioned on the "
                    + "data's " + classes + " classes; use conditioning = bias (or train without labels)";
        }
        return null;
    }

    /**
     * The size of the network for images of {@code shape} and {@code classes}, counted in double without allocating
     * (see the class comment for the layers).
     *
     * <p>Parameters: Σ over convolutions of k²·in·out + out and over dense layers of in·out + out. Activations per
     * example: the maps the direct network keeps for a forward and backward pass ({@link #mapsPerExample}), plus the
     * σ features and embedding (F + 3E) with {@code bias}.
     *
     * @throws IllegalArgumentException if the shape is not an image this network takes ({@link #unsupported})
     */
    ModelFootprint footprint(long[] shape, int classes) {
        String problem = unsupported(shape);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        double image = shape[0];
        double e = embeddingWidth();
        double parameters = 0;
        if (conditioned()) {
            parameters += dense(features(classes), e);
        }
        parameters += convolution(3, image, width(0));
        for (int level = 0; level < levels(); level++) {
            for (int b = 0; b < blocks; b++) {
                parameters += block(b == 0 && level > 0 ? width(level - 1) : width(level), width(level));
            }
            if (level < levels() - 1) {
                parameters += convolution(3, width(level), width(level));
            }
        }
        parameters += block(width(levels() - 1), width(levels() - 1));
        for (int level = levels() - 1; level >= 0; level--) {
            parameters += block(2.0 * width(level), width(level));
            if (level > 0) {
                parameters += convolution(3, width(level), width(level - 1));
            }
        }
        parameters += convolution(3, width(0), image);
        double sigma = conditioned() ? features(classes) + 3 * e : 0;
        return new ModelFootprint(parameters, mapsPerExample(shape) + sigma);
    }

    /**
     * Floats of the feature maps per example that {@link DirectUnet} keeps for a forward pass, its backward pass and
     * the input gradient: at level l (p_l pixels) a block from i to o channels keeps its input's swish and gradient,
     * the first convolution's output, its swish and gradient, the block's output (2i + 4o), and the 1×1 convolution's
     * output and input gradient (i + o) where i ≠ o; every level but the last, the downsampled maps and their gradient;
     * the concatenated skip (2w_l) with the gradients of its halves; the upsampled maps, their convolution and their
     * gradients; the input, output and their gradients (4 image maps, 3 maps of w₀).
     */
    double mapsPerExample(long[] shape) {
        double image = shape[0];
        double total = (4 * image + 3.0 * width(0)) * pixels(shape, 0);
        for (int level = 0; level < levels(); level++) {
            double p = pixels(shape, level);
            double w = width(level);
            for (int b = 0; b < blocks; b++) {
                total += p * blockMaps(b == 0 && level > 0 ? width(level - 1) : w, w);
            }
            if (level < levels() - 1) {
                total += w * pixels(shape, level + 1) + w * p;
            }
            total += p * blockMaps(2 * w, w) + 4 * w * p;
            if (level > 0) {
                double below = pixels(shape, level - 1);
                total += (2 * w + width(level - 1)) * below + w * p;
            }
        }
        double top = width(levels() - 1);
        return total + pixels(shape, levels() - 1) * blockMaps(top, top);
    }

    /** σ features with the label slots, F, in double. */
    private double features(int classes) {
        return SigmaFeatures.width(embedding) + (double) ClassLabels.slots(classes);
    }

    private static double blockMaps(double in, double out) {
        return 2 * in + 4 * out + (in != out ? in + out : 0);
    }

    private static double pixels(long[] shape, int level) {
        return (double) (shape[1] >> level) * (shape[2] >> level);
    }

    private double block(double in, double out) {
        double p = convolution(3, in, out) + convolution(3, out, out);
        if (conditioned()) {
            p += dense(embeddingWidth(), out);
        }
        return in != out ? p + convolution(1, in, out) : p;
    }

    private static double convolution(int k, double in, double out) {
        return (double) k * k * in * out + out;
    }

    private static double dense(double in, double out) {
        return in * out + out;
    }
}
