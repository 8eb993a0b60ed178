package org.score4j.core.config;

import java.util.Arrays;
import java.util.List;
import org.score4j.core.plugins.ComponentKind;

/**
 * A place in a run's configuration where a component is chosen by name: a section ({@code sampler}) or a subsection
 * ({@code sample.schedule}), and the kind of plugin it picks from.
 */
public enum ComponentSlot {
    DATA(ComponentKind.DATA, "data", true),
    MODEL(ComponentKind.MODEL, "model", true),
    OBJECTIVE(ComponentKind.OBJECTIVE, "objective", true),
    SCHEDULE(ComponentKind.SCHEDULE, "schedule", true),
    OPTIMIZER(ComponentKind.OPTIMIZER, "optimizer", true),
    LR_SCHEDULE(ComponentKind.LR_SCHEDULE, "lr-schedule", true),
    SAMPLER(ComponentKind.SAMPLER, "sampler", false),
    /** The sampling grid's schedule; the name {@value #TRAINING} stands for the training schedule. */
    SAMPLE_SCHEDULE(ComponentKind.SCHEDULE, "sample.schedule", false);

    /** The name of {@link #SAMPLE_SCHEDULE} that reuses the training schedule's levels. */
    public static final String TRAINING = "training";

    private final ComponentKind kind;
    private final String path;
    private final boolean training;

    ComponentSlot(ComponentKind kind, String path, boolean training) {
        this.kind = kind;
        this.path = path;
        this.training = training;
    }

    /** The kind of plugin this slot picks from. */
    public ComponentKind kind() {
        return kind;
    }

    /** The configuration path of the slot's section, e.g. {@code sample.schedule}. */
    public String path() {
        return path;
    }

    /** Whether the slot shapes the trained model (as opposed to sampling only). */
    public boolean training() {
        return training;
    }

    /** Every slot's path. */
    public static List<String> sections() {
        return Arrays.stream(values()).map(ComponentSlot::path).toList();
    }
}
