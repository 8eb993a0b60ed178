package org.score4j.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.LearningRateSchedule;
import org.score4j.api.Optimizer;
import org.score4j.api.spi.OptimizerFactory;
import org.score4j.api.spi.Settings;
import org.score4j.testkit.PluginContract;

/** The optimizers against their textbook updates, and the schedules' factors. */
class OptimizersTest {
    private final OptimizersPlugin plugin = new OptimizersPlugin();

    @Test
    void thePluginIsWellFormed() {
        PluginContract.assertWellFormed(plugin);
    }

    @Test
    void adamAndAdamwStepAsTheirPapersWriteThem() {
        for (String name : List.of("adam", "adamw")) {
            Optimizer o = optimizer(name, "learning-rate = 0.01, weight-decay = 0.1".replace(
                    name.equals("adam") ? ", weight-decay = 0.1" : "", ""));
            INDArray theta = Nd4j.createFromArray(1.0f, -2.0f, 0.5f);
            List<INDArray> state = List.of(Nd4j.zeros(DataType.FLOAT, 3), Nd4j.zeros(DataType.FLOAT, 3));
            double[] t = {1.0, -2.0, 0.5};
            double[] m = new double[3];
            double[] v = new double[3];
            for (int step = 1; step <= 3; step++) {
                double[] g = {0.3 * step, -0.1, 2.0 / step};
                // The summed gradient of 2 examples, scale ½: the mean gradient is g.
                o.step(theta, Nd4j.createFromArray(2 * g[0], 2 * g[1], 2 * g[2]).castTo(DataType.FLOAT), 0.5, state, step,
                        0.01);
                for (int i = 0; i < 3; i++) {
                    m[i] = 0.9 * m[i] + 0.1 * g[i];
                    v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                    double mHat = m[i] / (1 - Math.pow(0.9, step));
                    double vHat = v[i] / (1 - Math.pow(0.999, step));
                    double decay = name.equals("adamw") ? 1 - 0.01 * 0.1 : 1;
                    // As implemented (and in DL4J): ε is added to √v before the bias correction of the step size.
                    double alpha = 0.01 * Math.sqrt(1 - Math.pow(0.999, step)) / (1 - Math.pow(0.9, step));
                    t[i] = decay * t[i] - alpha * m[i] / (Math.sqrt(v[i]) + 1e-8);
                    assertThat(mHat).isFinite();
                    assertThat(vHat).isFinite();
                }
                for (int i = 0; i < 3; i++) {
                    assertThat(theta.getDouble(i)).as("%s θ[%d] after step %d", name, i, step).isCloseTo(t[i], offset(2e-6));
                }
            }
        }
    }

    @Test
    void sgdWithAndWithoutNesterovMomentum() {
        for (boolean nesterov : new boolean[] {false, true}) {
            Optimizer o = optimizer("sgd", "learning-rate = 0.1, momentum = 0.5, nesterov = " + nesterov);
            INDArray theta = Nd4j.createFromArray(1.0f);
            List<INDArray> state = List.of(Nd4j.zeros(DataType.FLOAT, 1));
            double t = 1;
            double b = 0;
            for (int step = 1; step <= 4; step++) {
                double g = step;
                o.step(theta, Nd4j.createFromArray((float) g), 1, state, step, 0.1);
                b = 0.5 * b + g;
                t -= 0.1 * (nesterov ? g + 0.5 * b : b);
                assertThat(theta.getDouble(0)).as("nesterov %s, step %d", nesterov, step).isCloseTo(t, offset(1e-6));
            }
        }
    }

    @Test
    void schedulesScaleTheRateAsDocumented() {
        LearningRateSchedule constant = LearningRateSchedules.constant();
        LearningRateSchedule warmup = LearningRateSchedules.warmup(10);
        LearningRateSchedule cosine = LearningRateSchedules.cosine(10, 0.1);
        assertThat(constant.factor(7, 100)).isEqualTo(1);
        assertThat(warmup.factor(1, 100)).isEqualTo(0.1, offset(1e-12));
        assertThat(warmup.factor(5, 100)).isEqualTo(0.5, offset(1e-12));
        assertThat(warmup.factor(50, 100)).isEqualTo(1);
        assertThat(cosine.factor(5, 100)).isEqualTo(0.5, offset(1e-12));
        assertThat(cosine.factor(10, 100)).isEqualTo(1, offset(1e-12));
        assertThat(cosine.factor(55, 100)).as("half-way through the decay").isEqualTo(0.55, offset(1e-12));
        assertThat(cosine.factor(100, 100)).as("the last step").isEqualTo(0.1, offset(1e-12));
    }

    @Test
    void impossibleSettingsAreRefusedNamingTheKey() {
        OptimizerFactory adamw = plugin.optimizers().stream().filter(f -> f.name().equals("adamw")).findFirst().orElseThrow();
        Settings s = Settings.of(adamw, "learning-rate = 2, weight-decay = 1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> adamw.create(s))
                .hasMessageContaining("adamw.weight-decay: learning-rate × weight-decay must be below 1, got 2.0");
    }

    private Optimizer optimizer(String name, String hocon) {
        OptimizerFactory f = plugin.optimizers().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
        return f.create(Settings.of(f, hocon));
    }
}
