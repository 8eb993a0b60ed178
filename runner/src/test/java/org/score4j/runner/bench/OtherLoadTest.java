package org.score4j.runner.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OtherLoadTest {

    @Test
    void readsBusyAndTotalTicksFromProcStat() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        long[] t = OtherLoad.cpuTicks("cpu  100 5 20 800 40 3 2 30 0 0\ncpu0 50 2 10 400 20 1 1 15 0 0\n");
        assertThat(t).containsExactly(100 + 5 + 20 + 3 + 2 + 30, 1000);
    }

    @Test
    void readsItsOwnTicksAfterACommandNameWithSpacesAndParentheses() {
        String stat = "7521 (a (b) c) R 7518 7518 8154 0 -1 4194304 122 0 0 0 17 4 0 0 20 0 1 0 2705515";
        assertThat(OtherLoad.ownTicks(stat)).isEqualTo(21);
    }

    @Test
    void countsOtherProcessesCoresAndNotItsOwn() {
        // 2 cores for 0.5 s at 100 ticks/s: 100 ticks in all, 60 busy of which 10 this process's: one core of others.
        assertThat(OtherLoad.cores(new long[] {0, 0}, new long[] {60, 100}, 10, 2)).isCloseTo(1.0, within(1e-12));
        // An idle machine: only this process worked.
        assertThat(OtherLoad.cores(new long[] {500, 1000}, new long[] {505, 1100}, 5, 2)).isZero();
        assertThat(OtherLoad.cores(new long[] {5, 10}, new long[] {5, 10}, 0, 2)).isEqualTo(-1);
    }

    @Test
    void samplesThisMachineWithinItsCores() {
        double cores = OtherLoad.sample();
        assertThat(cores).isBetween(-1.0, (double) Runtime.getRuntime().availableProcessors());
    }
}
