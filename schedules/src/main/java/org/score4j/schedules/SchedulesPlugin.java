package org.score4j.schedules;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.spi.ScheduleFactory;
import org.score4j.api.spi.Score4jPlugin;
import org.score4j.api.spi.Settings;

/** Contributes the {@code geometric} and {@code linear} noise schedules. */
public final class SchedulesPlugin implements Score4jPlugin {

    @Override
    public String apiVersion() {
        return API_VERSION;
    }

    static final String DEFAULTS = """
            # Largest noise level σ₁, in data units (NCSNv2: about the largest distance between data points).
            sigma-max = 20
            # Smallest noise level σ_L, in data units; sampling ends here.
            sigma-min = 1
            # Number of levels L (1 gives the single level sigma-min).
            levels = 10
            """;

    @Override
    public List<ScheduleFactory> schedules() {
        return List.of(new Factory("geometric", "σ levels with a constant ratio (NCSN)", GeometricSchedule::new),
                new Factory("linear", "evenly spaced σ levels", LinearSchedule::new));
    }

    @FunctionalInterface
    private interface Constructor {
        NoiseSchedule create(double sigmaMax, double sigmaMin, int levels);
    }

    private record Factory(String name, String description, Constructor constructor) implements ScheduleFactory {
        @Override
        public Config defaults() {
            return ConfigFactory.parseString(DEFAULTS);
        }

        @Override
        public NoiseSchedule create(Settings s) {
            double max = s.positive("sigma-max");
            double min = s.positive("sigma-min");
            int levels = s.integer("levels", 1);
            s.require(levels == 1 ? max >= min : max > min, "sigma-max",
                    "must be greater than sigma-min (" + min + "), got " + max);
            return s.build(() -> constructor.create(max, min, levels));
        }
    }
}
