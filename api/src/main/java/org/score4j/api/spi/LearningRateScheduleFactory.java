package org.score4j.api.spi;

import java.util.function.Function;
import org.score4j.api.LearningRateSchedule;

/** A named factory of learning-rate schedules, selected by the {@code name} key of the {@code lr-schedule} section. */
public interface LearningRateScheduleFactory extends ComponentFactory<LearningRateSchedule> {

    /**
     * A factory named {@code name}: {@code description} is its line in {@code score4j plugins}, {@code defaults} the
     * HOCON text of every key it reads with its default (comments above a key document it), {@code create} reads the
     * settings and builds the component (finishing with {@link Settings#build}).
     */
    static LearningRateScheduleFactory of(String name, String description, String defaults,
                   Function<Settings, LearningRateSchedule> create) {
        final class Of extends DescribedFactory<LearningRateSchedule> implements LearningRateScheduleFactory {
            Of() {
                super(name, description, defaults, create);
            }
        }
        return new Of();
    }
}
