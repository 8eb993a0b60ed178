package org.score4j.core.app;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.run.Sampled;
import org.score4j.core.training.TrainingResult;

/**
 * What a run command did.
 *
 * @param directory where it wrote
 * @param run       its resolved configuration
 * @param training  the training result, or null for a run that only sampled
 * @param sampled   the samples, or null for a run that only trained
 * @param metrics   what it wrote to {@code metrics.json}
 */
public record RunResult(Path directory, ResolvedRun run, TrainingResult training, Sampled sampled,
                        Map<String, Object> metrics) {
    public RunResult {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(run, "run");
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
}
