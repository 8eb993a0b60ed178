package org.score4j.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.spi.ScheduleFactory;
import org.score4j.api.spi.Settings;
import org.score4j.testkit.PluginContract;
import org.score4j.testkit.ScheduleContract;

class SchedulesTest {
    private final SchedulesPlugin plugin = new SchedulesPlugin();

    @Test
    void thePluginIsWellFormed() {
        PluginContract.assertWellFormed(plugin);
        assertThat(plugin.schedules()).extracting(ScheduleFactory::name).containsExactly("geometric", "linear", "karras");
    }

    @Test
    void everyScheduleFollowsTheContractAndRefusesHostileLevels() {
        for (ScheduleFactory f : plugin.schedules()) {
            for (String given : new String[] {"", "levels = 1", "levels = 25, sigma-max = 50, sigma-min = 0.01",
                    "levels = 100000, sigma-max = 80, sigma-min = 0.002"}) {
                NoiseSchedule s = f.create(Settings.of(f, given));
                assertThat(s.size()).as("%s with %s", f.name(), given).isPositive();
                if (s.size() <= 1000) {
                    ScheduleContract.assertWellFormed(s);
                }
            }
            ScheduleContract.assertRefusesHostileLevels(f, "");
            assertThatThrownBy(() -> f.create(Settings.of(f, "levels = 100001")))
                    .hasMessageContaining(f.name() + ".levels: must be at most 100000, got 100001");
            assertThatThrownBy(() -> f.create(Settings.of(f, "sigma-max = 0.5"))).hasMessageContaining(
                    f.name() + ".sigma-max: must be greater than sigma-min (1.0), got 0.5");
        }
    }

    @Test
    void geometricLevelsHaveAConstantRatioAndLinearOnesAConstantGap() {
        NoiseSchedule g = new GeometricSchedule(20, 1, 10);
        NoiseSchedule l = new LinearSchedule(20, 1, 10);
        for (int i = 1; i < 10; i++) {
            assertThat(g.sigma(i) / g.sigma(i - 1)).isCloseTo(Math.pow(0.05, 1 / 9.0), offset(1e-12));
            assertThat(l.sigma(i - 1) - l.sigma(i)).isCloseTo(19 / 9.0, offset(1e-12));
        }
        assertThat(g.largest()).isEqualTo(20);
        assertThat(g.smallest()).isEqualTo(1);
    }

    @Test
    void karrasLevelsFollowTheRhoFormula() {
        ScheduleFactory f = plugin.schedules().get(2);
        NoiseSchedule s = f.create(Settings.of(f, "sigma-max = 80, sigma-min = 0.002, levels = 5, rho = 7"));
        double hi = Math.pow(80, 1 / 7.0);
        double lo = Math.pow(0.002, 1 / 7.0);
        for (int i = 0; i < 5; i++) {
            assertThat(s.sigma(i)).isCloseTo(Math.pow(hi + i / 4.0 * (lo - hi), 7), offset(1e-12 * s.sigma(i)));
        }
        assertThat(s.largest()).isEqualTo(80);
        assertThat(s.smallest()).isEqualTo(0.002);
        // ρ = 1 is the linear schedule.
        assertThat(new KarrasSchedule(20, 1, 10, 1).sigmas()).containsExactly(new LinearSchedule(20, 1, 10).sigmas(),
                offset(1e-12));
        assertThat(new KarrasSchedule(20, 1, 1, 7).sigmas()).containsExactly(1.0);
        assertThatThrownBy(() -> f.create(Settings.of(f, "rho = 0"))).hasMessageContaining(
                "karras.rho: expected a number greater than 0, got 0");
    }

    @Test
    void levelsThatRoundToTheSameSigmaAreRefused() {
        assertThatThrownBy(() -> new GeometricSchedule(1 + 1e-12, 1, 100_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("round to the same σ");
    }
}
