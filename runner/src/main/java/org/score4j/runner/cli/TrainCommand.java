package org.score4j.runner.cli;

import java.util.concurrent.Callable;
import org.score4j.runner.config.ConfigSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "train", description = "Train a model and write its checkpoint, training log and score metrics.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Override
    public Integer call() {
        Workflow w = new Workflow(options.plugins, System.out, System.err);
        var run = w.resolve(ConfigSources.user(options.config, options.overrides));
        return w.execute("train", run, options.out, options.force, true, false, null);
    }
}
