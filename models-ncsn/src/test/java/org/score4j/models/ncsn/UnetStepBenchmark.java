package org.score4j.models.ncsn;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.ScoreModel;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.spi.ModelSpec;

/**
 * The time of ncsn-unet's training step (setParameters, forward, backward into a kept gradient array) for the digits
 * network (32 channels, multipliers [1, 2, 2]) at batch 64: the model's part of {@code score4j bench}'s
 * {@code unet-train-64}. Not a test: it runs only when asked:
 * <pre>
 * mvn -pl models-ncsn surefire:test -Dtest=UnetStepBenchmark -Dscore4j.bench=true [-Dscore4j.bench.arch=group|attention]
 * </pre>
 */
class UnetStepBenchmark {
    @Test
    void trainingStep() {
        assumeTrue(Boolean.getBoolean("score4j.bench"), "a benchmark: run with -Dscore4j.bench=true");
        ScoreModel model = NcsnUnet.create(architecture(System.getProperty("score4j.bench.arch", "plain")),
                new ModelSpec(new long[] {1, 28, 28}, 0.3, 42));
        INDArray theta = model.parameters();
        INDArray gradient = Nd4j.create(DataType.FLOAT, model.parameterCount());
        SeededRandom rng = new SeededRandom(1);
        INDArray x = rng.normal(64, 1, 28, 28).muli(0.3);
        INDArray sigma = Nd4j.createFromArray(rng.integers(64, 64)).castTo(DataType.FLOAT).muli(0.2).addi(0.01);
        INDArray g = rng.normal(64, 1, 28, 28);
        for (int i = 0; i < 5; i++) {
            step(model, theta, x, sigma, g, gradient);
        }
        // Wall time, and the process's CPU time (all threads: score4j's and oneDNN's), which other work on a shared
        // machine disturbs less.
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        double[] blocks = new double[7];
        double[] cpu = new double[blocks.length];
        for (int b = 0; b < blocks.length; b++) {
            long t0 = System.nanoTime();
            long c0 = os.getProcessCpuTime();
            for (int i = 0; i < 5; i++) {
                step(model, theta, x, sigma, g, gradient);
            }
            blocks[b] = (System.nanoTime() - t0) / 1e6 / 5;
            cpu[b] = (os.getProcessCpuTime() - c0) / 1e6 / 5;
        }
        Arrays.sort(blocks);
        Arrays.sort(cpu);
        System.out.printf("UNET-STEP %s: median %.1f ms wall, %.1f ms CPU per batch of 64 (wall per block of 5 steps: "
                + "%s)%n", System.getProperty("score4j.bench.arch", "plain"), blocks[blocks.length / 2],
                cpu[cpu.length / 2], Arrays.toString(blocks));
    }

    private static UnetArchitecture architecture(String kind) {
        return switch (kind) {
            case "group" -> new UnetArchitecture(32, List.of(1, 2, 2), 1, "bias", 8, true, true, "group", 8, List.of(),
                    1);
            case "attention" -> new UnetArchitecture(32, List.of(1, 2, 2), 1, "bias", 8, true, true, "none", 8,
                    List.of(7), 1);
            default -> new UnetArchitecture(32, List.of(1, 2, 2), 1, "bias", 8, true, true);
        };
    }

    private static void step(ScoreModel model, INDArray theta, INDArray x, INDArray sigma, INDArray g,
                             INDArray gradient) {
        model.setParameters(theta);
        model.forward(x, sigma, null).backward(g, gradient);
    }
}
