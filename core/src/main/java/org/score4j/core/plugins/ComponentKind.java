package org.score4j.core.plugins;

import java.util.List;
import java.util.function.Function;
import org.score4j.api.spi.ComponentFactory;
import org.score4j.api.spi.Score4jPlugin;

/** The kinds of component, each with its configuration section and the plugin getter that lists them. */
public enum ComponentKind {
    DATA("data", "data set", Score4jPlugin::datasets),
    MODEL("model", "model", Score4jPlugin::models),
    OBJECTIVE("objective", "objective", Score4jPlugin::objectives),
    SCHEDULE("schedule", "schedule", Score4jPlugin::schedules),
    SAMPLER("sampler", "sampler", Score4jPlugin::samplers),
    OPTIMIZER("optimizer", "optimizer", Score4jPlugin::optimizers),
    LR_SCHEDULE("lr-schedule", "learning-rate schedule", Score4jPlugin::learningRateSchedules);

    private final String section;
    private final String noun;
    private final Function<Score4jPlugin, List<? extends ComponentFactory<?>>> getter;

    ComponentKind(String section, String noun, Function<Score4jPlugin, List<? extends ComponentFactory<?>>> getter) {
        this.section = section;
        this.noun = noun;
        this.getter = getter;
    }

    /** The configuration section, e.g. {@code sampler}. */
    public String section() {
        return section;
    }

    /** How messages name the kind, e.g. "data set". */
    public String noun() {
        return noun;
    }

    /** The factories of this kind that {@code plugin} contributes (empty for null). */
    public List<? extends ComponentFactory<?>> factoriesOf(Score4jPlugin plugin) {
        List<? extends ComponentFactory<?>> list = getter.apply(plugin);
        return list == null ? List.of() : list;
    }
}
