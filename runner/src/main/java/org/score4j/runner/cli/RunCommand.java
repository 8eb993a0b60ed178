package org.score4j.runner.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.score4j.core.app.Application;
import org.score4j.core.config.ConfigSources;
import org.score4j.core.engine.Engine;
import org.score4j.runner.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", description = "Train a model, sample it, evaluate: the whole pipeline. With no configuration, "
        + "the NCSN 2-D mixture experiment.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "continue a run from its newest readable checkpoint, then sample and evaluate")
    Path resume;

    @Override
    public Integer call() {
        Application app = RunCommands.application(options.plugins);
        ProgressBar bar = new ProgressBar(System.err);
        if (resume != null) {
            ResumeChecks.check(options, engine, resume);
            try (Engine e = engine.open(options.plugins, app.steps(), bar, 1)) {
                return RunCommands.report(app.resumeAndSample(resume, options.overrides, options.force, e, bar), System.out);
            }
        }
        var run = app.resolve(ConfigSources.user(options.config, options.overrides));
        try (Engine e = engine.open(options.plugins, app.steps(), bar, 1)) {
            Path out = options.out != null ? options.out : RunCommands.defaultOut();
            bar.note("score4j run: " + RunCommands.summary(run) + " -> " + out);
            return RunCommands.report(app.run(run, out, options.force, e, bar), System.out);
        }
    }
}
