package org.score4j.optimizers;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Optimizer;
import org.score4j.nn.cpu.FusedKernels;

/**
 * Adam (Kingma &amp; Ba 2015) with the bias corrections folded into the step size, α_t = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ), and
 * ε added to √v; with {@code weightDecay} λ &gt; 0 it is AdamW (Loshchilov &amp; Hutter 2019): θ ← (1 − lr·λ)·θ before
 * the Adam step, the decay decoupled from the gradient's moments.
 */
final class Adam implements Optimizer {
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;

    Adam(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    @Override
    public List<String> stateNames() {
        return List.of("m", "v");
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void step(INDArray parameters, INDArray gradient, double gradientScale, List<INDArray> state, long step,
                     double rate) {
        double alpha = rate * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step));
        FusedKernels.adam(parameters, gradient, state.get(0), state.get(1), 0, parameters.length(), gradientScale, alpha,
                beta1, beta2, epsilon, 1 - rate * weightDecay);
    }

    @Override
    public String toString() {
        return (weightDecay > 0 ? "adamw" : "adam") + "(lr=" + learningRate + ", β=" + beta1 + "/" + beta2
                + (weightDecay > 0 ? ", λ=" + weightDecay : "") + ")";
    }
}
