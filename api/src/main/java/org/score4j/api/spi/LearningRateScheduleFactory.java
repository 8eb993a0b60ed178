package org.score4j.api.spi;

import org.score4j.api.LearningRateSchedule;

/** A named factory of learning-rate schedules, selected by the {@code name} key of the {@code lr-schedule} section. */
public interface LearningRateScheduleFactory extends ComponentFactory<LearningRateSchedule> {
}
