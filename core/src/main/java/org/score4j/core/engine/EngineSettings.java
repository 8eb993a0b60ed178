package org.score4j.core.engine;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.score4j.core.RunProgress;
import org.score4j.core.run.RunSteps;

/**
 * What a command hands an engine when it opens it.
 *
 * @param master   where the engine runs its work (e.g. {@code local[2]} or {@code spark://host:7077}), or null for the
 *                 engine's default
 * @param conf     engine settings given with {@code --conf key=value}, in the order given
 * @param plugins  the plugin directory of the command, whose jars the engine ships with its work
 * @param steps    the run steps over the command's plugins, for work the engine does in this process
 * @param progress where the engine's own lines go
 * @param jobs     study cells (or trainings) at a time, for engines that run them in this process
 */
public record EngineSettings(String master, Map<String, String> conf, Path plugins, RunSteps steps, RunProgress progress,
                             int jobs) {
    public EngineSettings {
        conf = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(conf));
        Objects.requireNonNull(plugins, "plugins");
        Objects.requireNonNull(steps, "steps");
        Objects.requireNonNull(progress, "progress");
    }

    /** The settings of the local engine: no master or engine settings. */
    public static EngineSettings local(Path plugins, RunSteps steps, RunProgress progress, int jobs) {
        return new EngineSettings(null, Map.of(), plugins, steps, progress, jobs);
    }
}
