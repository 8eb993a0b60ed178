package org.score4j.runner.engine;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a command hands an engine when it opens it.
 *
 * @param master  where the engine runs its work (e.g. {@code local[2]} or {@code spark://host:7077}), or null for the
 *                engine's default
 * @param conf    engine settings given with {@code --conf key=value}, in the order given
 * @param plugins the plugin directory of the command, whose jars the engine ships with its work
 * @param console where progress goes
 */
public record EngineSettings(String master, Map<String, String> conf, Path plugins, PrintStream console) {
    public EngineSettings {
        conf = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(conf));
        Objects.requireNonNull(plugins, "plugins");
        Objects.requireNonNull(console, "console");
    }
}
