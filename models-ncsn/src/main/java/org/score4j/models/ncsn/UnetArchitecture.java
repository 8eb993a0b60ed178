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
 * a 3×3 convolution (w_l → w_{l−1}) (but on level 0); the output: [norm,] swish and a 3×3 convolution (w₀ → image
 * channels). A block from i to o channels is [norm,] swish, 3×3 conv i → o, + dense(E → o) of the σ embedding (with
 * {@code bias}), [norm,] swish, 3×3 conv o → o, plus the input (through a 1×1 conv i → o where i ≠ o). With
 * {@code norm = group} each [norm] is a group normalisation in {@code groups} groups (DDPM's placement); at the levels
 * whose maps are as many pixels high as an entry of {@code attention}, every block (down, middle, up) is followed by
 * an attention block: x + attention([norm](x)), multi-head self-attention over the level's positions with
 * {@code heads} heads.
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
 * @param norm          {@code none} or {@code group} (group normalisation before every swish and attention)
 * @param groups        groups of the group normalisation, dividing every level's width (used with {@code group})
 * @param attention     the heights (in pixels) of the levels with self-attention after each block; empty for none
 * @param heads         attention heads, dividing the width of every level with attention
 */
public record UnetArchitecture(int channels, List<Integer> multipliers, int blocks, String conditioning, int embedding,
                               boolean inputScaling, boolean outputScaling, String norm, int groups,
                               List<Integer> attention, int heads) {
    static final List<String> CONDITIONINGS = List.of("bias", "none");
    static final List<String> NORMS = List.of("none", "group");
    /** The most channels at any level: far beyond any network that fits in memory, and no int product overflows. */
    static final int MAX_WIDTH = 1 << 16;

    public UnetArchitecture {
        multipliers = List.copyOf(multipliers);
        attention = List.copyOf(attention);
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
        if (!NORMS.contains(norm)) {
            throw new IllegalArgumentException("norm must be one of " + NORMS + ", got " + norm);
        }
        if (groups < 1 || heads < 1) {
            throw new IllegalArgumentException("groups and heads must be >= 1, got " + groups + " and " + heads);
        }
        List<Integer> widths = multipliers.stream().map(m -> channels * m).toList();
        if (norm.equals("group") && widths.stream().anyMatch(w -> w % groups != 0)) {
            throw new IllegalArgumentException("groups (" + groups + ") must divide the channels of every level, got "
                    + widths);
        }
        if (attention.stream().anyMatch(r -> r < 1) || attention.stream().distinct().count() != attention.size()) {
            throw new IllegalArgumentException("attention resolutions must be distinct and >= 1, got " + attention);
        }
    }

    /** Without normalisation or attention (and the factory's default groups and heads): the network of 2.0. */
    public UnetArchitecture(int channels, List<Integer> multipliers, int blocks, String conditioning, int embedding,
                            boolean inputScaling, boolean outputScaling) {
        this(channels, multipliers, blocks, conditioning, embedding, inputScaling, outputScaling, "none", 8, List.of(),
                1);
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

    /** Whether group normalisation precedes every swish and attention. */
    boolean normalised() {
        return norm.equals("group");
    }

    /** Whether the blocks of {@code level} are followed by attention, for images of {@code shape}. */
    boolean attends(int level, long[] shape) {
        return attention.contains((int) Math.min(Integer.MAX_VALUE, shape[1] >> level));
    }

    /**
     * Whether every width divides into blocks of 16 channels, so that the direct network keeps its maps inside in
     * oneDNN's blocked layout.
     */
    boolean blocked() {
        return java.util.stream.IntStream.range(0, levels()).allMatch(level -> width(level) % 16 == 0);
    }

    /**
     * Why this network cannot take examples of {@code shape}, or null if it can: it needs [C, H, W] with H and W
     * divisible by 2^(levels − 1); each attention resolution must be the height of a level, whose width the heads
     * divide.
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
        List<Long> heights = java.util.stream.IntStream.range(0, levels()).mapToObj(l -> shape[1] >> l).toList();
        for (int r : attention) {
            if (!heights.contains((long) r)) {
                return "ncsn-unet has no level of resolution " + r + " for attention: on " + shape[1] + "×" + shape[2]
                        + " images its levels are " + heights.stream().map(h -> h + "×" + (shape[2] * h / shape[1]))
                        .toList() + " (attention names a level by the height of its maps)";
            }
        }
        for (int level = 0; level < levels(); level++) {
            if (attends(level, shape) && width(level) % heads != 0) {
                return "ncsn-unet's attention at resolution " + (shape[1] >> level) + " has " + width(level)
                        + " channels, which " + heads + " heads do not divide";
            }
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
     * <p>Parameters: Σ over convolutions of k²·in·out + out, over dense layers of in·out + out, over group norms of
     * 2·channels and over attention blocks of 4w² + 4w. Activations per example: what the direct network allocates for
     * a forward pass, its backward pass and the input gradient ({@link #activationsPerExample}).
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
                parameters += block(b == 0 && level > 0 ? width(level - 1) : width(level), width(level))
                        + attentionParameters(level, shape);
            }
            if (level < levels() - 1) {
                parameters += convolution(3, width(level), width(level));
            }
        }
        int top = levels() - 1;
        parameters += block(width(top), width(top)) + attentionParameters(top, shape);
        for (int level = levels() - 1; level >= 0; level--) {
            parameters += block(2.0 * width(level), width(level)) + attentionParameters(level, shape);
            if (level > 0) {
                parameters += convolution(3, width(level), width(level - 1));
            }
        }
        parameters += convolution(3, width(0), image) + norm(width(0));
        return new ModelFootprint(parameters, activationsPerExample(shape, classes));
    }

    /**
     * Floats per example that {@link DirectUnet} allocates for a forward pass, its backward pass and the input
     * gradient: at level l (p_l pixels) a block from i to o channels keeps its input's swish and gradient, the first
     * convolution's output, its swish and gradient, the block's output (2i + 4o), the 1×1 convolution's output and
     * input gradient (i + o) where i ≠ o, with normalisation the normalised maps (i + o) and each norm's statistics
     * (2G per image), and with σ conditioning its σ bias and gradient (2o per image); an attention block its output
     * and input gradient (2w), with normalisation the normalised maps (w) and statistics (2G), and the attention's
     * own ({@link org.score4j.nn.layers.SelfAttention#activationsPerExample}); every level but the last, the
     * downsampled maps and their gradient; the concatenated skip (2w_l) with the gradients of its halves; the
     * upsampled maps, their convolution and their gradients; the input, output and their gradients (4 image maps,
     * 3 maps of w₀, with normalisation one more and 2G); with σ conditioning the features, the embedding before and
     * after its swish, its gradient and one block's part of it (F + 4E).
     */
    double activationsPerExample(long[] shape, int classes) {
        double image = shape[0];
        double total = (4 * image + 3.0 * width(0)) * pixels(shape, 0) + normMaps(width(0), pixels(shape, 0));
        for (int level = 0; level < levels(); level++) {
            double p = pixels(shape, level);
            double w = width(level);
            for (int b = 0; b < blocks; b++) {
                total += blockActivations(b == 0 && level > 0 ? width(level - 1) : w, w, p)
                        + attentionActivations(level, shape);
            }
            if (level < levels() - 1) {
                total += w * pixels(shape, level + 1) + w * p;
            }
            total += blockActivations(2 * w, w, p) + attentionActivations(level, shape) + 4 * w * p;
            if (level > 0) {
                double below = pixels(shape, level - 1);
                total += (2 * w + width(level - 1)) * below + w * p;
            }
        }
        int top = levels() - 1;
        total += blockActivations(width(top), width(top), pixels(shape, top)) + attentionActivations(top, shape);
        if (conditioned()) {
            total += features(classes) + 4.0 * embeddingWidth();
        }
        return total;
    }

    /** σ features with the label slots, F, in double. */
    private double features(int classes) {
        return SigmaFeatures.width(embedding) + (double) ClassLabels.slots(classes);
    }

    private double blockActivations(double in, double out, double pixels) {
        double maps = (2 * in + 4 * out + (in != out ? in + out : 0)) * pixels;
        return maps + normMaps(in, pixels) + normMaps(out, pixels) + (conditioned() ? 2 * out : 0);
    }

    /** The normalised maps of {@code channels} and their statistics, with normalisation; else 0. */
    private double normMaps(double channels, double pixels) {
        return normalised() ? channels * pixels + 2.0 * groups : 0;
    }

    private double attentionActivations(int level, long[] shape) {
        if (!attends(level, shape)) {
            return 0;
        }
        double p = pixels(shape, level);
        double w = width(level);
        return 2 * w * p + normMaps(w, p)
                + org.score4j.nn.layers.SelfAttention.activationsPerExample(w, heads, p, blocked());
    }

    private double attentionParameters(int level, long[] shape) {
        double w = width(level);
        return attends(level, shape) ? 4 * w * w + 4 * w + norm(w) : 0;
    }

    private double norm(double channels) {
        return normalised() ? 2 * channels : 0;
    }

    private static double pixels(long[] shape, int level) {
        return (double) (shape[1] >> level) * (shape[2] >> level);
    }

    private double block(double in, double out) {
        double p = convolution(3, in, out) + convolution(3, out, out) + norm(in) + norm(out);
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
