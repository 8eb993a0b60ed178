package org.score4j.api.spi;

import org.score4j.api.NoiseSchedule;

/** A named factory of noise schedules, selected by the {@code name} key of its configuration section. */
public interface ScheduleFactory extends ComponentFactory<NoiseSchedule> {
}
