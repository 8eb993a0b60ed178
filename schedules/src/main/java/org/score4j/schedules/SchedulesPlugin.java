package org.score4j.schedules;

import java.util.List;
import java.util.function.Supplier;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.spi.ScheduleFactory;
import org.score4j.api.spi.Score4jPlugin;
import org.score4j.api.spi.Settings;

/** Contributes the {@code geometric}, {@code linear} and {@code karras} noise schedules. */
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
            # Number of levels L, from 1 (the single level sigma-min) to 100000.
            levels = 10
            """;

    static final String KARRAS_DEFAULTS = DEFAULTS + """
            # ρ: the levels are evenly spaced in σ^(1/ρ); larger values put more of them near sigma-min (Karras et al.
            # 2022 use 7; 1 is linear).
            rho = 7
            """;

    @Override
    public List<ScheduleFactory> schedules() {
        return List.of(schedule("geometric", "σ levels with a constant ratio (NCSN)", DEFAULTS,
                        (s, max, min, levels) -> () -> new GeometricSchedule(max, min, levels)),
                schedule("linear", "evenly spaced σ levels", DEFAULTS,
                        (s, max, min, levels) -> () -> new LinearSchedule(max, min, levels)),
                schedule("karras", "σ levels evenly spaced in σ^(1/ρ), denser near sigma-min (Karras et al. 2022)",
                        KARRAS_DEFAULTS, (s, max, min, levels) -> {
                            double rho = s.positive("rho");
                            return () -> new KarrasSchedule(max, min, levels, rho);
                        }));
    }

    /** Reads the keys a schedule adds to the shared ones, and returns how to build it. */
    @FunctionalInterface
    private interface Constructor {
        Supplier<NoiseSchedule> read(Settings s, double sigmaMax, double sigmaMin, int levels);
    }

    /** A schedule reading the shared keys (checked together), then its own through {@code constructor}. */
    private static ScheduleFactory schedule(String name, String description, String defaults, Constructor constructor) {
        return ScheduleFactory.of(name, description, defaults, s -> {
            double max = s.positive("sigma-max");
            double min = s.positive("sigma-min");
            int levels = s.integer("levels", 1);
            s.require(levels <= Bounds.MAX_LEVELS, "levels", "must be at most " + Bounds.MAX_LEVELS + ", got " + levels);
            s.require(levels == 1 ? max >= min : max > min, "sigma-max",
                    "must be greater than sigma-min (" + min + "), got " + max);
            Supplier<NoiseSchedule> build = constructor.read(s, max, min, levels);
            return s.build(build);
        });
    }
}
