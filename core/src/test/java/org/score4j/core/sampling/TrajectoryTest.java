package org.score4j.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.SamplerStep;
import org.score4j.api.SamplingGrid;

class TrajectoryTest {
    @Test
    void recordsTheFirstChainsWhenTheReportedSigmaReachesSpreadLevels() {
        double[] sigmas = new double[7];
        for (int i = 0; i < 7; i++) {
            sigmas[i] = 10 * Math.pow(0.01, i / 6.0);
        }
        SamplingGrid grid = SamplingGrid.of(SamplingGrid.of(sigmas).levels(), true);
        Trajectory t = new Trajectory(grid, 2, 3);
        // A stand-in sampler: two steps per level on 3 chains, the state being (level, step) in every pixel.
        INDArray x = Nd4j.zeros(DataType.FLOAT, 3, 1, 2, 2);
        long n = 0;
        for (int level = 0; level < 7; level++) {
            for (int step = 0; step < 2; step++) {
                x.assign(10 * level + step);
                t.afterStep(new SamplerStep(++n, n, sigmas[level], x, null));
            }
        }
        x.assign(-1);
        t.afterStep(new SamplerStep(++n, n, 0, x, null));
        assertThat(t.snapshots()).hasSize(3);
        INDArray g = Trajectory.grid(t.snapshots(), x);
        assertThat(g.shape()).containsExactly(8, 1, 2, 2);
        // Chain-major: chain 0 at levels 0, 3 and 6 (the first step of each), then its final state.
        double[] firstPixel = new double[8];
        for (int i = 0; i < 8; i++) {
            firstPixel[i] = g.getDouble(i, 0, 0, 0);
        }
        assertThat(firstPixel).containsExactly(0, 30, 60, -1, 0, 30, 60, -1);
    }
}
