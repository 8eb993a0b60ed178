package org.score4j.runner.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.NoiseSchedule;

class TrajectoryTest {
    @Test
    void recordsTheFirstChainsAtSpreadLevelsWhateverTheSamplerAndTheFloatRounding() {
        double[] sigmas = new double[7];
        for (int i = 0; i < 7; i++) {
            sigmas[i] = 10 * Math.pow(0.01, i / 6.0);
        }
        NoiseSchedule schedule = NoiseSchedule.of(sigmas);
        Trajectory t = new Trajectory((x, s) -> x.mul(0), schedule, 2, 3);
        // A stand-in sampler: two steps per level on 3 chains, the state being (level, step) in every pixel,
        // σ passed as float as the built-in samplers do.
        INDArray x = Nd4j.zeros(DataType.FLOAT, 3, 1, 2, 2);
        for (int level = 0; level < schedule.size(); level++) {
            for (int step = 0; step < 2; step++) {
                x.assign(10 * level + step);
                t.score(x, Nd4j.valueArrayOf(new long[] {3}, schedule.sigma(level), DataType.FLOAT));
            }
        }
        INDArray grid = t.grid(x.assign(-1));
        assertThat(t.columns()).isEqualTo(4);
        assertThat(grid.shape()).containsExactly(8, 1, 2, 2);
        // Chain-major: chain 0 at levels 0, 3 and 6 (the first step of each), then its final state.
        double[] firstPixel = new double[8];
        for (int i = 0; i < 8; i++) {
            firstPixel[i] = grid.getDouble(i, 0, 0, 0);
        }
        assertThat(firstPixel).containsExactly(0, 30, 60, -1, 0, 30, 60, -1);
    }
}
