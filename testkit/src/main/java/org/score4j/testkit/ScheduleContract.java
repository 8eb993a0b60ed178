package org.score4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.score4j.api.NoiseSchedule;
import org.score4j.api.random.SeededRandom;

/** Checks of a {@link NoiseSchedule}'s conventions. */
public final class ScheduleContract {
    private ScheduleContract() {
    }

    /**
     * At least one level; σ finite, positive and strictly decreasing from {@code largest()} to {@code smallest()};
     * {@code sigmas()} and {@code sigmasOf} agree with {@code sigma(i)}; {@code drawLevels} stays in range and
     * reaches every level.
     */
    public static void assertWellFormed(NoiseSchedule schedule) {
        int n = schedule.size();
        assertThat(n).as("number of levels").isPositive();
        double[] sigmas = schedule.sigmas();
        assertThat(sigmas).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(sigmas[i]).as("σ of level %d", i).isEqualTo(schedule.sigma(i)).isPositive().isFinite();
            if (i > 0) {
                assertThat(sigmas[i]).as("σ of level %d is below that of level %d", i, i - 1).isLessThan(sigmas[i - 1]);
            }
        }
        assertThat(schedule.largest()).isEqualTo(sigmas[0]);
        assertThat(schedule.smallest()).isEqualTo(sigmas[n - 1]);
        int draws = 200 * n;
        int[] levels = schedule.drawLevels(draws, new SeededRandom(7));
        assertThat(levels).hasSize(draws);
        boolean[] seen = new boolean[n];
        for (int l : levels) {
            assertThat(l).as("drawn level").isBetween(0, n - 1);
            seen[l] = true;
        }
        for (int i = 0; i < n; i++) {
            assertThat(seen[i]).as("level %d is drawn at all in %d draws", i, draws).isTrue();
        }
        double[] of = schedule.sigmasOf(levels);
        for (int k = 0; k < draws; k++) {
            assertThat(of[k]).isEqualTo(sigmas[levels[k]]);
        }
    }
}
