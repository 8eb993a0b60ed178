package org.score4j.core.lib;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Samples of a trained run and what they measured.
 *
 * @param values    the samples, {@code [count, shape...]}
 * @param metrics   the sample metrics
 * @param directory where they were written ({@code samples.csv}, plots, {@code metrics.json})
 * @param all       every metric written, as {@code metrics.json} holds them
 */
public record Samples(INDArray values, SampleMetrics metrics, Path directory, Map<String, Object> all) {
    public Samples {
        Objects.requireNonNull(values, "values");
        all = Collections.unmodifiableMap(new LinkedHashMap<>(all));
    }
}
