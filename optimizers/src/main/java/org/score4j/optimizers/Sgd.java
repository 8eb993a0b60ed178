package org.score4j.optimizers;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Optimizer;
import org.score4j.nn.cpu.FusedKernels;

/**
 * Stochastic gradient descent with momentum μ (the heavy-ball form b ← μb + g, θ ← θ − lr·b; Nesterov's form
 * θ ← θ − lr·(g + μb)) and decoupled weight decay θ ← (1 − lr·λ)·θ.
 */
final class Sgd implements Optimizer {
    private final double learningRate;
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;

    Sgd(double learningRate, double momentum, boolean nesterov, double weightDecay) {
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    @Override
    public List<String> stateNames() {
        return List.of("momentum");
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void step(INDArray parameters, INDArray gradient, double gradientScale, List<INDArray> state, long step,
                     double rate) {
        FusedKernels.sgd(parameters, gradient, state.get(0), gradientScale, rate, momentum, nesterov, 1 - rate * weightDecay);
    }

    @Override
    public String toString() {
        return "sgd(lr=" + learningRate + ", μ=" + momentum + (nesterov ? ", nesterov" : "") + ")";
    }
}
