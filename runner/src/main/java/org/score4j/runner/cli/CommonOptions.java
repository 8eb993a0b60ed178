package org.score4j.runner.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every run-like command takes. */
public final class CommonOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "HOCON configuration file")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one key (repeatable), e.g. --set train.steps=500")
    List<String> overrides = new ArrayList<>();

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "output directory (default: runs/<time>)")
    Path out;

    @Option(names = "--force", description = "write into a non-empty output directory, replacing the files score4j "
            + "wrote there (never others)")
    boolean force;

    @Option(names = "--plugins", paramLabel = "DIR", description = "plugin directory (default: ${DEFAULT-VALUE})",
            defaultValue = "${env:SCORE4J_PLUGINS:-plugins}")
    Path plugins;
}
