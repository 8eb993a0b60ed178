package org.score4j.runner.cli;

import java.util.concurrent.Callable;
import org.score4j.runner.config.ConfigSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", description = "Train a model, sample it, evaluate: the whole pipeline. With no configuration, "
        + "the NCSN 2-D mixture experiment.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Override
    public Integer call() {
        Workflow w = new Workflow(options.plugins, System.out, System.err);
        var run = w.resolve(ConfigSources.user(options.config, options.overrides));
        return w.execute("run", run, options.out, options.force, true, true, null);
    }
}
