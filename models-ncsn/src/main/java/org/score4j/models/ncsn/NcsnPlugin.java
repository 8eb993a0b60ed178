package org.score4j.models.ncsn;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.score4j.api.spi.ModelBlueprint;
import org.score4j.api.spi.ModelFactory;
import org.score4j.api.spi.Score4jPlugin;
import org.score4j.api.spi.Settings;

/**
 * Contributes the {@code ncsn-mlp} and {@code ncsn-unet} models.
 *
 * <p>Each factory bounds its sizes where a value is certainly a mistake (a typo's extra zeros) rather than a large
 * network; whether a network that passes fits in memory is the runner's question, answered by
 * {@link ModelBlueprint#footprint} before anything is built.
 */
public final class NcsnPlugin implements Score4jPlugin {
    /** Upper bounds of the architecture settings. */
    static final int MAX_HIDDEN = 1 << 16;
    static final int MAX_LAYERS = 1024;
    static final int MAX_EMBEDDING = 1024;
    static final int MAX_CHANNELS = 4096;
    static final int MAX_MULTIPLIER = 64;
    static final int MAX_LEVELS = 12;
    static final int MAX_BLOCKS = 64;
    static final int MAX_GROUPS = 1024;
    static final int MAX_HEADS = 1024;

    @Override
    public String apiVersion() {
        return API_VERSION;
    }

    @Override
    public List<ModelFactory> models() {
        return List.of(mlp(), unet());
    }

    private static ModelFactory mlp() {
        return new ModelFactory() {
            @Override
            public String name() {
                return "ncsn-mlp";
            }

            @Override
            public String description() {
                return "noise-conditional MLP (σ features, input and 1/σ output scaling, a learned class embedding for "
                        + "labelled data); images are flattened to vectors";
            }

            @Override
            public Config defaults() {
                return ConfigFactory.parseString("""
                        # Units per hidden layer (at most 65536).
                        hidden = 128
                        # Number of hidden layers (at most 1024).
                        layers = 3
                        # Hidden activation: swish, relu, softplus, tanh or elu.
                        activation = swish
                        # Fourier features of log σ besides log σ itself (even, 0 for none, at most 1024).
                        embedding = 8
                        # Feed x/sqrt(σ² + s²), s the data's scale, so inputs have unit scale at every level.
                        input-scaling = true
                        # Predict σ·score and divide by σ (NCSNv2), so outputs have unit scale at every level.
                        output-scaling = true
                        """);
            }

            @Override
            public ModelBlueprint create(Settings s) {
                int hidden = bounded(s, "hidden", 1, MAX_HIDDEN);
                int layers = bounded(s, "layers", 1, MAX_LAYERS);
                String activation = s.choice("activation", MlpArchitecture.ACTIVATIONS);
                int embedding = embedding(s);
                boolean in = s.flag("input-scaling");
                boolean out = s.flag("output-scaling");
                return s.build(() -> new MlpBlueprint(new MlpArchitecture(hidden, layers, activation, embedding, in,
                        out)));
            }
        };
    }

    private static ModelFactory unet() {
        return new ModelFactory() {
            @Override
            public String name() {
                return "ncsn-unet";
            }

            @Override
            public String description() {
                return "noise-conditional convolutional U-Net for C×H×W images (residual blocks, skips, optional group "
                        + "normalisation and self-attention, 1/σ output scaling, a learned class embedding in the σ "
                        + "bias for labelled data)";
            }

            @Override
            public Config defaults() {
                return ConfigFactory.parseString("""
                        # Feature maps at full resolution (at most 4096).
                        channels = 32
                        # Channel multiplier per resolution level (each at most 64, at most 12 levels); the
                        # resolution halves between levels, so height and width must be divisible by 2^(levels - 1).
                        multipliers = [1, 2, 2]
                        # Residual blocks per level (at most 64).
                        blocks = 1
                        # bias: each block adds a per-channel bias computed from log σ features (and from the
                        # class label, for labelled data); none: only the 1/σ output scaling conditions on σ
                        # (NCSNv2), and the network cannot take class labels.
                        conditioning = bias
                        # Fourier features of log σ besides log σ itself (even, at most 1024), with conditioning = bias.
                        embedding = 8
                        # Feed x/sqrt(σ² + s²), s the data's scale, so inputs have unit scale at every level.
                        input-scaling = true
                        # Predict σ·score and divide by σ, so outputs have unit scale at every level.
                        output-scaling = true
                        # none, or group: group normalisation before every swish and attention (DDPM's placement).
                        norm = none
                        # Groups of the group normalisation (at most 1024); must divide every level's channels.
                        groups = 8
                        # Levels with self-attention after every residual block, by the height of their maps in
                        # pixels: [7] attends at the 7×7 level of 28×28 images; [] for none.
                        attention = []
                        # Attention heads (at most 1024); must divide the channels of the levels with attention.
                        heads = 1
                        """);
            }

            @Override
            public ModelBlueprint create(Settings s) {
                int channels = bounded(s, "channels", 1, MAX_CHANNELS);
                double[] multipliers = s.reals("multipliers");
                List<Integer> levels = new java.util.ArrayList<>();
                for (double m : multipliers) {
                    if (m != Math.rint(m) || m < 1 || m > MAX_MULTIPLIER) {
                        s.problem("multipliers", "must be whole numbers from 1 to " + MAX_MULTIPLIER + ", got " + m);
                    }
                    levels.add((int) Math.max(1, Math.min(m, MAX_MULTIPLIER)));
                }
                s.require(multipliers.length > 0, "multipliers", "needs at least one level");
                s.require(multipliers.length <= MAX_LEVELS, "multipliers", "at most " + MAX_LEVELS
                        + " levels (the resolution halves " + (MAX_LEVELS - 1) + " times), got " + multipliers.length);
                int blocks = bounded(s, "blocks", 1, MAX_BLOCKS);
                String conditioning = s.choice("conditioning", UnetArchitecture.CONDITIONINGS);
                int embedding = embedding(s);
                boolean in = s.flag("input-scaling");
                boolean out = s.flag("output-scaling");
                String norm = s.choice("norm", UnetArchitecture.NORMS);
                int groups = bounded(s, "groups", 1, MAX_GROUPS);
                List<Integer> attention = new java.util.ArrayList<>();
                for (double r : s.reals("attention")) {
                    if (r != Math.rint(r) || r < 1 || r > Integer.MAX_VALUE) {
                        s.problem("attention", "must be whole numbers of pixels >= 1, got " + r);
                    } else if (attention.contains((int) r)) {
                        s.problem("attention", "names resolution " + (int) r + " twice");
                    } else {
                        attention.add((int) r);
                    }
                }
                int heads = bounded(s, "heads", 1, MAX_HEADS);
                if (norm.equals("group")) {
                    levels.stream().map(m -> (long) channels * m).distinct().filter(w -> w % groups != 0).findFirst()
                            .ifPresent(w -> s.problem("groups", "must divide the channels of every level (channels × "
                                    + "multipliers), got " + groups + " for " + w));
                }
                return s.build(() -> new UnetBlueprint(new UnetArchitecture(channels, levels, blocks, conditioning,
                        embedding, in, out, norm, groups, attention, heads)));
            }
        };
    }

    /** A whole number in [min, max], the problem naming the key and the bound. */
    private static int bounded(Settings s, String key, int min, int max) {
        int value = s.integer(key, min);
        s.require(value <= max, key, "must be at most " + max + ", got " + value);
        return Math.min(value, max);
    }

    private static int embedding(Settings s) {
        int embedding = bounded(s, "embedding", 0, MAX_EMBEDDING);
        s.require(embedding % 2 == 0, "embedding", "must be even, got " + embedding);
        return embedding;
    }
}
