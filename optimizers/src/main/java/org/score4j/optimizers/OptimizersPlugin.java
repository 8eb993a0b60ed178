package org.score4j.optimizers;

import java.util.List;
import org.score4j.api.spi.LearningRateScheduleFactory;
import org.score4j.api.spi.OptimizerFactory;
import org.score4j.api.spi.Score4jPlugin;

/** Contributes the {@code adam}, {@code adamw} and {@code sgd} optimizers and the constant, warm-up and cosine schedules. */
public final class OptimizersPlugin implements Score4jPlugin {

    @Override
    public String apiVersion() {
        return API_VERSION;
    }

    @Override
    public List<OptimizerFactory> optimizers() {
        return List.of(
                OptimizerFactory.of("adam", "Adam: bias-corrected first and second moments of the gradient", """
                        # Base step size (the lr-schedule scales it per step).
                        learning-rate = 0.001
                        # Decay of the first moment, in [0, 1).
                        beta1 = 0.9
                        # Decay of the second moment, in [0, 1).
                        beta2 = 0.999
                        # Added to the square root of the second moment.
                        epsilon = 1e-8
                        """, s -> {
                    double lr = s.positive("learning-rate");
                    double b1 = s.between("beta1", 0, 0.999999);
                    double b2 = s.between("beta2", 0, 0.999999);
                    double eps = s.positive("epsilon");
                    return s.build(() -> new Adam(lr, b1, b2, eps, 0));
                }),
                OptimizerFactory.of("adamw", "AdamW: Adam with decoupled weight decay θ ← (1 − lr·λ)θ", """
                        # Base step size (the lr-schedule scales it per step).
                        learning-rate = 0.001
                        # Decay of the first moment, in [0, 1).
                        beta1 = 0.9
                        # Decay of the second moment, in [0, 1).
                        beta2 = 0.999
                        # Added to the square root of the second moment.
                        epsilon = 1e-8
                        # Decoupled weight decay λ.
                        weight-decay = 0.01
                        """, s -> {
                    double lr = s.positive("learning-rate");
                    double b1 = s.between("beta1", 0, 0.999999);
                    double b2 = s.between("beta2", 0, 0.999999);
                    double eps = s.positive("epsilon");
                    double wd = s.atLeast("weight-decay", 0);
                    s.require(lr * wd < 1, "weight-decay", "learning-rate × weight-decay must be below 1, got " + lr * wd);
                    return s.build(() -> new Adam(lr, b1, b2, eps, wd));
                }),
                OptimizerFactory.of("sgd", "stochastic gradient descent with (optionally Nesterov) momentum", """
                        # Base step size (the lr-schedule scales it per step).
                        learning-rate = 0.01
                        # Momentum μ in [0, 1): 0 is plain SGD.
                        momentum = 0.9
                        # Nesterov's form of momentum.
                        nesterov = false
                        # Decoupled weight decay λ.
                        weight-decay = 0
                        """, s -> {
                    double lr = s.positive("learning-rate");
                    double mu = s.between("momentum", 0, 0.999999);
                    boolean nesterov = s.flag("nesterov");
                    double wd = s.atLeast("weight-decay", 0);
                    s.require(lr * wd < 1, "weight-decay", "learning-rate × weight-decay must be below 1, got " + lr * wd);
                    return s.build(() -> new Sgd(lr, mu, nesterov, wd));
                }));
    }

    @Override
    public List<LearningRateScheduleFactory> learningRateSchedules() {
        return List.of(
                LearningRateScheduleFactory.of("constant", "the base learning rate at every step", """
                        """, s -> s.build(LearningRateSchedules::constant)),
                LearningRateScheduleFactory.of("warmup", "linear warm-up to the base rate, then constant", """
                        # Steps over which the rate rises linearly to the base rate.
                        warmup-steps = 200
                        """, s -> {
                    int warmup = s.integer("warmup-steps", 0);
                    return s.build(() -> LearningRateSchedules.warmup(warmup));
                }),
                LearningRateScheduleFactory.of("cosine", "warm-up, then cosine decay to a fraction of the base rate at the last step", """
                        # Steps over which the rate rises linearly to the base rate (0: none).
                        warmup-steps = 0
                        # The rate at the last step, as a fraction of the base rate.
                        final-factor = 0.0
                        """, s -> {
                    int warmup = s.integer("warmup-steps", 0);
                    double last = s.between("final-factor", 0, 1);
                    return s.build(() -> LearningRateSchedules.cosine(warmup, last));
                }));
    }
}
