package org.score4j.runner.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of the commands that use a trained run: impute, inpaint, likelihood. */
public final class FromRunOptions {
    @Option(names = "--from", required = true, paramLabel = "RUN_DIR", description = "a trained run's directory")
    Path from;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "output directory (default: a directory in RUN_DIR "
            + "named after the command)")
    Path out;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a sampler, sample or eval key (repeatable), e.g. "
            + "--set sampler.name=edm")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--force", description = "write into a non-empty output directory; use a checkpoint whose run "
            + "configuration differs")
    boolean force;

    @Option(names = "--plugins", paramLabel = "DIR", defaultValue = "${env:SCORE4J_PLUGINS:-plugins}",
            description = "plugin directory (default: ${DEFAULT-VALUE})")
    Path plugins;
}
