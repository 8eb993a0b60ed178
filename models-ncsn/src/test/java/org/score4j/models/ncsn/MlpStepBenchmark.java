package org.score4j.models.ncsn;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.ScoreModel;
import org.score4j.api.spi.ModelSpec;
import org.score4j.nn.cpu.FusedKernels;

/**
 * The time of ncsn-mlp's training step as the runner takes it (setParameters, forward, backward into a kept gradient
 * array, then the gradient's norm and a fused Adam step on the flat vectors), for the default 2-D network at batch 256
 * and 4096: the workloads {@code mlp-train-256} and {@code mlp-train-4096} of {@code score4j bench}. Not a test: it runs
 * only when asked:
 * <pre>
 * mvn -pl models-ncsn surefire:test -Dtest=MlpStepBenchmark -Dscore4j.bench=true
 * </pre>
 */
class MlpStepBenchmark {
    @Test
    void trainingStep() {
        assumeTrue(Boolean.getBoolean("score4j.bench"), "a benchmark: run with -Dscore4j.bench=true");
        ScoreModel model = NcsnMlp.create(new MlpArchitecture(128, 3, "swish", 8, true, true),
                new ModelSpec(new long[] {2}, 1, 42));
        INDArray theta = model.parameters();
        INDArray gradient = Nd4j.create(DataType.FLOAT, model.parameterCount());
        INDArray m = Nd4j.zeros(DataType.FLOAT, model.parameterCount());
        INDArray v = Nd4j.zeros(DataType.FLOAT, model.parameterCount());
        for (int n : new int[] {256, 4096}) {
            INDArray x = Nd4j.randn(DataType.FLOAT, n, 2);
            INDArray sigma = Nd4j.rand(DataType.FLOAT, n).addi(0.1);
            INDArray g = Nd4j.randn(DataType.FLOAT, n, 2).muli(0.01);
            int steps = n == 256 ? 4000 : 400;
            for (int repeat = 0; repeat < 5; repeat++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    model.setParameters(theta);
                    model.forward(x, sigma, null).backward(g, gradient);
                    double norm = FusedKernels.norm(gradient);
                    FusedKernels.adam(theta, gradient, m, v, 0, theta.length(), 1.0 / n / Math.max(1, norm), 1e-4,
                            0.9, 0.999, 1e-8, 1);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("ncsn-mlp step, batch %d: %.1f k examples/s (%.1f µs per step)%n", n,
                        steps * (double) n / seconds / 1e3, seconds / steps * 1e6);
            }
        }
    }
}
