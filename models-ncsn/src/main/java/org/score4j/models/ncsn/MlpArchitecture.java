package org.score4j.models.ncsn;

import java.util.Properties;

/**
 * The shape of a noise-conditional MLP.
 *
 * @param hidden        units per hidden layer
 * @param layers        number of hidden layers
 * @param activation    hidden activation: relu, swish, softplus, tanh, elu
 * @param embedding     number of Fourier features of log σ fed to the network besides log σ itself (even)
 * @param inputScaling  feed x/√(σ² + s²) (s = data scale) instead of x, so inputs have unit scale at every level
 * @param outputScaling the network predicts σ·s(x, σ) and the score is its output divided by σ (NCSNv2)
 */
public record MlpArchitecture(int hidden, int layers, String activation, int embedding, boolean inputScaling,
                              boolean outputScaling) {
    static final java.util.List<String> ACTIVATIONS = java.util.List.of("swish", "relu", "softplus", "tanh", "elu");

    public MlpArchitecture {
        if (hidden < 1 || layers < 1 || embedding < 0 || embedding % 2 != 0) {
            throw new IllegalArgumentException("need hidden >= 1, layers >= 1 and an even embedding >= 0");
        }
        if (!ACTIVATIONS.contains(activation)) {
            throw new IllegalArgumentException("activation must be one of " + ACTIVATIONS + ", got " + activation);
        }
    }

    void write(Properties p) {
        p.setProperty("hidden", Integer.toString(hidden));
        p.setProperty("layers", Integer.toString(layers));
        p.setProperty("activation", activation);
        p.setProperty("embedding", Integer.toString(embedding));
        p.setProperty("input-scaling", Boolean.toString(inputScaling));
        p.setProperty("output-scaling", Boolean.toString(outputScaling));
    }

    static MlpArchitecture read(Properties p) {
        return new MlpArchitecture(Integer.parseInt(p.getProperty("hidden")), Integer.parseInt(p.getProperty("layers")),
                p.getProperty("activation"), Integer.parseInt(p.getProperty("embedding")),
                Boolean.parseBoolean(p.getProperty("input-scaling")), Boolean.parseBoolean(p.getProperty("output-scaling")));
    }
}
