package org.score4j.runner.wiring;

import com.typesafe.config.Config;
import java.util.Map;
import org.score4j.api.Dataset;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;
import org.score4j.api.Sampler;
import org.score4j.api.spi.ModelBlueprint;
import org.score4j.api.spi.ModelFactory;
import org.score4j.runner.ComponentKind;
import org.score4j.runner.config.EvalSettings;
import org.score4j.runner.config.SampleSettings;
import org.score4j.runner.config.TrainSettings;

/**
 * Everything a run needs, created from a valid configuration.
 *
 * @param names    the selected component name of each kind
 * @param resolved the complete configuration with every default filled in, as written to {@code config.conf}
 */
public record ResolvedRun(long seed, Dataset data, ModelFactory modelFactory, ModelBlueprint model, Objective objective,
                          NoiseSchedule schedule, Sampler sampler, TrainSettings train, SampleSettings sample,
                          EvalSettings eval, Map<ComponentKind, String> names, Config resolved) {
}
