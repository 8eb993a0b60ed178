package org.score4j.models.ncsn;

import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The shape of a noise-conditional U-Net.
 *
 * @param channels      feature maps at full resolution
 * @param multipliers   channel multiplier per resolution level; the resolution halves between levels
 * @param blocks        residual blocks per level on the way down (and up)
 * @param conditioning  {@code bias}: every residual block adds a learned per-channel bias computed from features
 *                      of log σ (as DDPM adds its time embedding); {@code none}: the network does not see σ and
 *                      only the 1/σ output scaling conditions it (NCSNv2's unconditional network)
 * @param embedding     Fourier features of log σ besides log σ itself (even), with {@code bias}
 * @param inputScaling  feed x/√(σ² + s²) (s = data scale) instead of x
 * @param outputScaling the network predicts σ·s(x, σ) and the score is its output divided by σ
 */
public record UnetArchitecture(int channels, List<Integer> multipliers, int blocks, String conditioning, int embedding,
                               boolean inputScaling, boolean outputScaling) {
    static final List<String> CONDITIONINGS = List.of("bias", "none");

    public UnetArchitecture {
        multipliers = List.copyOf(multipliers);
        if (channels < 1 || blocks < 1 || multipliers.isEmpty() || multipliers.stream().anyMatch(m -> m < 1)) {
            throw new IllegalArgumentException("need channels >= 1, blocks >= 1 and at least one multiplier, all >= 1");
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

    /**
     * Why this network cannot take examples of {@code shape}, or null if it can: it needs [C, H, W] with H and W
     * divisible by 2^(levels − 1).
     */
    String unsupported(long[] shape) {
        if (shape.length != 3) {
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

    void write(Properties p) {
        p.setProperty("channels", Integer.toString(channels));
        p.setProperty("multipliers", multipliers.stream().map(String::valueOf).collect(Collectors.joining(",")));
        p.setProperty("blocks", Integer.toString(blocks));
        p.setProperty("conditioning", conditioning);
        p.setProperty("embedding", Integer.toString(embedding));
        p.setProperty("input-scaling", Boolean.toString(inputScaling));
        p.setProperty("output-scaling", Boolean.toString(outputScaling));
    }

    static UnetArchitecture read(Properties p) {
        return new UnetArchitecture(Integer.parseInt(p.getProperty("channels")),
                Arrays.stream(p.getProperty("multipliers").split(",")).map(Integer::valueOf).toList(),
                Integer.parseInt(p.getProperty("blocks")), p.getProperty("conditioning"),
                Integer.parseInt(p.getProperty("embedding")), Boolean.parseBoolean(p.getProperty("input-scaling")),
                Boolean.parseBoolean(p.getProperty("output-scaling")));
    }
}
