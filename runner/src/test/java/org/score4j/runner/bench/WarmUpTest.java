package org.score4j.runner.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The warm-up rule on a simulated clock: each run advances it by a duration given by the run's index. */
class WarmUpTest {

    private static WarmUp.Done warm(IntToDoubleFunction duration, int times, double seconds) {
        double[] now = {0};
        int[] runs = {0};
        return new WarmUp(() -> now[0]).run(() -> now[0] += duration.applyAsDouble(runs[0]++), times, seconds);
    }

    @Test
    void aSteadyWorkloadWarmsUpForItsLeastTimeAndTwoBlocks() {
        WarmUp.Done done = warm(run -> 0.125, 1, 3);
        assertThat(done.runs()).isEqualTo(24 + 8 + 8);
        assertThat(done.seconds()).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void noLeastTimeMeansASingleRun() {
        WarmUp.Done done = warm(run -> 0.05 + 0.05 * Math.max(0, 1 - run / 200.0), 30, 0);
        assertThat(done.runs()).isEqualTo(1);
    }

    @Test
    void theLeastNumberOfRunsCountsAsWellAsTheLeastTime() {
        WarmUp.Done done = warm(run -> 1.0 / 128, 1000, 3);
        assertThat(done.runs()).isEqualTo(1000 + 128 + 128);
    }

    /** Runs get faster until run 200, by a few per cent a block: the warm-up goes on until they stop. */
    @Test
    void aWorkloadStillSpeedingUpWarmsUpUntilItsRateLevelsOff() {
        WarmUp.Done done = warm(run -> 0.05 + 0.05 * Math.max(0, 1 - run / 200.0), 1, 3);
        assertThat(done.runs()).isBetween(200, 200 + 2 * 21);
        assertThat(done.seconds()).isLessThan(WarmUp.MAX_SECONDS);
    }

    @Test
    void aWorkloadThatNeverLevelsOffStopsAtTheLimit() {
        double[] now = {0};
        // 5 % faster every simulated second, for ever.
        WarmUp.Done done = new WarmUp(() -> now[0]).run(() -> now[0] += 0.1 * Math.exp(-0.05 * now[0]), 1, 3);
        assertThat(done.seconds()).isGreaterThanOrEqualTo(WarmUp.MAX_SECONDS)
                .isLessThan(WarmUp.MAX_SECONDS + 2 * WarmUp.BLOCK_SECONDS);
    }

    @Test
    void risingMeansMoreThanTwoPerCentFaster() {
        assertThat(WarmUp.rising(100, 102.5)).isTrue();
        assertThat(WarmUp.rising(100, 101.5)).isFalse();
        assertThat(WarmUp.rising(100, 90)).isFalse();
    }
}
