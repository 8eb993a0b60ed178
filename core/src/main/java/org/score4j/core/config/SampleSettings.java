package org.score4j.core.config;

import java.util.List;
import org.score4j.api.Sampler;
import org.score4j.api.spi.Settings;

/**
 * The {@code sample} section: how many chains, in what batches, started where, on which grid (its schedule is the
 * {@code sample.schedule} component, read apart), and for which classes.
 *
 * @param start      where chains start: the sampler's own choice, or forced
 * @param toZero     whether the sampling grid ends with σ = 0
 * @param classLabel the class every chain is conditioned on, −1 for unconditional samples, or {@link #EACH_CLASS}
 * @param guidance   the classifier-free guidance weight w ≥ 0 (with a class)
 */
public record SampleSettings(int count, int batchSize, Start start, double low, double high, boolean toZero,
                             int classLabel, double guidance) {

    /** {@code sample.class = each}: the chains cycle through the classes, chain k of class k mod C. */
    public static final int EACH_CLASS = -2;

    /** Where chains start. */
    public enum Start {
        /** The sampler's default ({@link Sampler#start()}). */
        AUTO,
        /** Uniform in [low, high] in every coordinate. */
        BOX,
        /** N(0, σ₀²I) at the grid's largest level. */
        PRIOR;

        /** The start a sampler gets under this setting. */
        public Sampler.Start resolve(Sampler sampler) {
            return this == AUTO ? sampler.start() : this == BOX ? Sampler.Start.BOX : Sampler.Start.PRIOR;
        }
    }

    static final int MAX_COUNT = 1 << 24;

    static SampleSettings read(Settings s) {
        int count = s.integer("count", 1);
        s.require(count <= MAX_COUNT, "count", "at most " + MAX_COUNT + " chains, got " + count);
        int batch = s.integer("batch-size", 1);
        s.require(batch <= TrainSettings.MAX_BATCH, "batch-size", "at most " + TrainSettings.MAX_BATCH + ", got " + batch);
        String start = s.choice("start", List.of("auto", "box", "prior"));
        double low = s.real("low");
        double high = s.real("high");
        s.require(high > low, "high", "must be greater than sample.low (" + low + "), got " + high);
        boolean toZero = s.flag("to-zero");
        s.value("schedule");
        int label = classLabel(s);
        double guidance = s.atLeast("guidance", 0);
        return s.build(() -> new SampleSettings(count, batch, Start.valueOf(start.toUpperCase(java.util.Locale.ROOT)), low,
                high, toZero, label, guidance));
    }

    private static int classLabel(Settings s) {
        com.typesafe.config.ConfigValue v = s.value("class");
        if (v == null) {
            return -1;
        }
        Object raw = v.unwrapped();
        if ("none".equals(raw)) {
            return -1;
        }
        if ("each".equals(raw)) {
            return EACH_CLASS;
        }
        if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.doubleValue() >= 0
                && n.doubleValue() < Integer.MAX_VALUE) {
            return n.intValue();
        }
        s.problem("class", "expected none, each or a class index ≥ 0, got " + v.render());
        return -1;
    }

    /** Whether the samples are class-conditional. */
    public boolean conditional() {
        return classLabel != -1;
    }
}
