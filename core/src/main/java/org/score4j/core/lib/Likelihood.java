package org.score4j.core.lib;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A trained run's held-out likelihood ({@link TrainedRun#likelihood}), as {@code score4j likelihood} writes it.
 *
 * @param nllNats          the mean −log p_{σ_min}(x) in nats per example, over the examples that finished
 * @param standardError    its standard error
 * @param examples         examples scored
 * @param finishedExamples examples whose integration finished (fewer when the evaluation cap or time budget stopped some)
 * @param bitsPerDim       the mean in bits per dimension, for uniformly dequantised 8-bit images
 * @param directory        where it was written ({@code metrics.json}, {@code likelihood.csv})
 * @param metrics          the whole {@code likelihood} section: source of the examples, seed, estimator, tolerance, …
 */
public record Likelihood(double nllNats, double standardError, int examples, int finishedExamples,
                         OptionalDouble bitsPerDim, Path directory, Map<String, Object> metrics) {
    public Likelihood {
        Objects.requireNonNull(bitsPerDim, "bitsPerDim");
        Objects.requireNonNull(directory, "directory");
        metrics = Map.copyOf(metrics);
    }

    static Likelihood of(Path directory, Map<String, Object> section) {
        return new Likelihood(number(section.get("nll_nats")), number(section.get("nll_standard_error")),
                ((Number) section.get("examples")).intValue(), ((Number) section.get("finished_examples")).intValue(),
                section.get("bits_per_dim") instanceof Number b ? OptionalDouble.of(b.doubleValue()) : OptionalDouble.empty(),
                directory, section);
    }

    private static double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
