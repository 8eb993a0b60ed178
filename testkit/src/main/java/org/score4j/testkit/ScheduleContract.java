package org.score4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.score4j.api.NoiseSchedule;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.spi.ScheduleFactory;
import org.score4j.api.spi.Settings;
import org.score4j.api.spi.SettingsException;

/** Checks of a {@link NoiseSchedule}'s conventions and of its factory's limits. */
public final class ScheduleContract {
    /** The number of levels every schedule factory must refuse: far beyond any real schedule, and 8 GB of doubles. */
    public static final long HOSTILE_LEVELS = 1_000_000_000L;

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

    /**
     * The factory refuses a hostile number of levels ({@value #HOSTILE_LEVELS}, given as {@code levels}) with a
     * message naming the key, before allocating anything: a configuration must not be able to exhaust memory.
     * {@code required} holds any other keys the factory needs (HOCON, usually empty).
     */
    public static void assertRefusesHostileLevels(ScheduleFactory factory, String required) {
        Settings hostile = Settings.of(factory, required + "\nlevels = " + HOSTILE_LEVELS);
        assertThatThrownBy(() -> factory.create(hostile)).as("%s with levels = %s", factory.name(), HOSTILE_LEVELS)
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining(factory.name() + ".levels");
    }
}
