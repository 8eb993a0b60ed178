package org.score4j.schedules;

import java.util.Arrays;
import org.score4j.api.NoiseSchedule;

/** A schedule given by its levels, computed once: what the parametric schedules share. */
abstract class TabulatedSchedule implements NoiseSchedule {
    private final String name;
    private final double[] levels;

    /** @throws IllegalArgumentException unless the levels strictly decrease */
    TabulatedSchedule(String name, double[] levels) {
        this.name = name;
        this.levels = Bounds.decreasing(levels.clone());
    }

    @Override
    public final int size() {
        return levels.length;
    }

    @Override
    public final double sigma(int level) {
        return levels[level];
    }

    @Override
    public final String toString() {
        return name + Arrays.toString(levels);
    }
}
