package org.score4j.runner.config;

import org.score4j.api.spi.Settings;

/** The {@code sample} section: how many chains, in what batches, started where. */
public record SampleSettings(int count, int batchSize, double low, double high) {

    static SampleSettings read(Settings s) {
        int count = s.integer("count", 1);
        int batch = s.integer("batch-size", 1);
        double low = s.real("low");
        double high = s.real("high");
        s.require(high > low, "high", "must be greater than sample.low (" + low + "), got " + high);
        return s.build(() -> new SampleSettings(count, batch, low, high));
    }
}
