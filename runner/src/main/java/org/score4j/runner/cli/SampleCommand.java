package org.score4j.runner.cli;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.score4j.runner.ComponentKind;
import org.score4j.runner.engine.Engine;
import org.score4j.runner.plugins.Catalog;
import org.score4j.runner.config.ConfigSources;
import org.score4j.runner.output.RunDirectory;
import org.score4j.runner.training.Checkpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sample", description = "Sample a trained run's checkpoint, e.g. with another sampler: "
        + "score4j sample --from runs/x --set sampler.name=langevin")
public final class SampleCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Option(names = "--from", required = true, paramLabel = "RUN_DIR", description = "a directory written by run or train")
    Path from;

    @Override
    public Integer call() {
        Config user = ConfigSources.over(ConfigSources.user(Workflow.savedConfig(from), List.of()),
                ConfigSources.user(options.config, options.overrides));
        Catalog catalog = Catalog.discover(options.plugins);
        var run = new Workflow(catalog, System.out, System.err).resolve(user);
        Path out = options.out != null ? options.out : from.resolve("sample-" + run.names().get(ComponentKind.SAMPLER));
        try (Engine e = engine.open(options.plugins, System.err)) {
            Workflow w = new Workflow(catalog, System.out, System.err, e);
            Checkpoints.Loaded checkpoint = w.checkpoint(from, run);
            return w.execute("sample", run, RunDirectory.create(out, options.force), false, true, checkpoint);
        }
    }
}
