package org.score4j.runner.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.score4j.core.UserError;
import org.score4j.core.app.Application;
import org.score4j.core.engine.Engine;
import org.score4j.runner.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sample", description = "Sample a trained run's checkpoint with the configuration it was trained with, "
        + "e.g. with another sampler or grid: score4j sample --from runs/x --set sampler.name=langevin")
public final class SampleCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Option(names = "--from", required = true, paramLabel = "RUN_DIR", description = "a directory written by run or train")
    Path from;

    @Override
    public Integer call() {
        if (options.config != null) {
            throw new UserError("sample --from uses the configuration the checkpoint was trained with; change sampling "
                    + "keys with --set, not -c");
        }
        Application app = RunCommands.application(options.plugins);
        ProgressBar bar = new ProgressBar(System.err);
        try (Engine e = engine.open(options.plugins, app.steps(), bar, 1)) {
            return RunCommands.report(app.sample(from, options.overrides, options.out, options.force, e, bar), System.out);
        }
    }

}
