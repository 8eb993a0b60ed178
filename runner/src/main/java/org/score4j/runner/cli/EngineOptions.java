package org.score4j.runner.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.score4j.core.RunProgress;
import org.score4j.core.UserError;
import org.score4j.core.engine.Engine;
import org.score4j.core.engine.EngineSettings;
import org.score4j.core.engine.Engines;
import org.score4j.core.run.RunSteps;
import picocli.CommandLine.Option;

/** Where a command runs its work: this process, or an engine such as Spark. */
public final class EngineOptions {
    @Option(names = "--engine", paramLabel = "NAME", defaultValue = Engines.LOCAL,
            description = "where the work runs: local (this process) or spark (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--master", paramLabel = "URL",
            description = "the engine's master, e.g. local[2] or spark://host:7077 (with --engine spark; default local[*])")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "an engine setting (repeatable), e.g. --conf spark.executor.memory=4g")
    List<String> conf = new ArrayList<>();

    boolean local() {
        return Engines.LOCAL.equals(engine);
    }

    /** The engine asked for, started. */
    Engine open(Path plugins, RunSteps steps, RunProgress progress, int jobs) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String kv : conf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UserError("--conf expects KEY=VALUE, got '" + kv + "'");
            }
            settings.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return Engines.open(engine, new EngineSettings(master, settings, plugins, steps, progress, jobs));
    }
}
