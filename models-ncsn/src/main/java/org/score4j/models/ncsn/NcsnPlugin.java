package org.score4j.models.ncsn;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.score4j.api.ScoreModel;
import org.score4j.api.spi.ModelBlueprint;
import org.score4j.api.spi.ModelFactory;
import org.score4j.api.spi.Score4jPlugin;
import org.score4j.api.spi.Settings;

/** Contributes the {@code ncsn-mlp} and {@code ncsn-unet} models. */
public final class NcsnPlugin implements Score4jPlugin {

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
                return "noise-conditional MLP (σ features, input and 1/σ output scaling); images are flattened to vectors";
            }

            @Override
            public Config defaults() {
                return ConfigFactory.parseString("""
                        # Units per hidden layer.
                        hidden = 128
                        # Number of hidden layers.
                        layers = 3
                        # Hidden activation: swish, relu, softplus, tanh or elu.
                        activation = swish
                        # Fourier features of log σ besides log σ itself (even, 0 for none).
                        embedding = 8
                        # Feed x/sqrt(σ² + s²), s the data's scale, so inputs have unit scale at every level.
                        input-scaling = true
                        # Predict σ·score and divide by σ (NCSNv2), so outputs have unit scale at every level.
                        output-scaling = true
                        """);
            }

            @Override
            public ModelBlueprint create(Settings s) {
                int hidden = s.integer("hidden", 1);
                int layers = s.integer("layers", 1);
                String activation = s.choice("activation", MlpArchitecture.ACTIVATIONS);
                int embedding = s.integer("embedding", 0);
                s.require(embedding % 2 == 0, "embedding", "must be even, got " + embedding);
                boolean in = s.flag("input-scaling");
                boolean out = s.flag("output-scaling");
                MlpArchitecture arch = s.build(() -> new MlpArchitecture(hidden, layers, activation, embedding, in, out));
                return spec -> NcsnMlp.create(arch, spec);
            }

            @Override
            public ScoreModel load(InputStream in) throws IOException {
                return NcsnMlp.load(in);
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
                return "noise-conditional convolutional U-Net for C×H×W images (residual blocks, skips, 1/σ output scaling)";
            }

            @Override
            public Config defaults() {
                return ConfigFactory.parseString("""
                        # Feature maps at full resolution.
                        channels = 32
                        # Channel multiplier per resolution level; the resolution halves between levels, so
                        # height and width must be divisible by 2^(levels - 1).
                        multipliers = [1, 2, 2]
                        # Residual blocks per level.
                        blocks = 1
                        # bias: each block adds a per-channel bias computed from log σ features;
                        # none: only the 1/σ output scaling conditions on σ (NCSNv2).
                        conditioning = bias
                        # Fourier features of log σ besides log σ itself (even), with conditioning = bias.
                        embedding = 8
                        # Feed x/sqrt(σ² + s²), s the data's scale, so inputs have unit scale at every level.
                        input-scaling = true
                        # Predict σ·score and divide by σ, so outputs have unit scale at every level.
                        output-scaling = true
                        """);
            }

            @Override
            public ModelBlueprint create(Settings s) {
                int channels = s.integer("channels", 1);
                double[] multipliers = s.reals("multipliers");
                List<Integer> levels = new java.util.ArrayList<>();
                for (double m : multipliers) {
                    if (m != Math.rint(m) || m < 1) {
                        s.problem("multipliers", "must be whole numbers >= 1, got " + m);
                    }
                    levels.add((int) m);
                }
                s.require(multipliers.length > 0, "multipliers", "needs at least one level");
                int blocks = s.integer("blocks", 1);
                String conditioning = s.choice("conditioning", UnetArchitecture.CONDITIONINGS);
                int embedding = s.integer("embedding", 0);
                s.require(embedding % 2 == 0, "embedding", "must be even, got " + embedding);
                boolean in = s.flag("input-scaling");
                boolean out = s.flag("output-scaling");
                UnetArchitecture arch = s.build(() -> new UnetArchitecture(channels, levels, blocks, conditioning,
                        embedding, in, out));
                return new ModelBlueprint() {
                    @Override
                    public ScoreModel build(org.score4j.api.spi.ModelSpec spec) {
                        return NcsnUnet.create(arch, spec);
                    }

                    @Override
                    public java.util.Optional<String> incompatibility(long[] exampleShape) {
                        return java.util.Optional.ofNullable(arch.unsupported(exampleShape));
                    }
                };
            }

            @Override
            public ScoreModel load(InputStream in) throws IOException {
                return NcsnUnet.load(in);
            }
        };
    }
}
