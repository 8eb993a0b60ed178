package org.score4j.runner.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.score4j.runner.ComponentKind;
import org.score4j.runner.UserError;
import org.score4j.runner.config.ConfigSources;
import org.score4j.runner.training.Checkpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sample", description = "Sample a trained run's checkpoint, e.g. with another sampler: "
        + "score4j sample --from runs/x --set sampler.name=langevin")
public final class SampleCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--from", required = true, paramLabel = "RUN_DIR", description = "a directory written by run or train")
    Path from;

    @Override
    public Integer call() {
        Path saved = from.resolve("config.conf");
        if (!Files.isRegularFile(saved)) {
            throw new UserError(from + " is not a score4j run directory (no config.conf)");
        }
        Workflow w = new Workflow(options.plugins, System.out, System.err);
        Config base = ConfigFactory.parseFile(saved.toFile());
        Config given = ConfigSources.user(options.config, options.overrides);
        for (ComponentKind kind : ComponentKind.values()) {
            // A component replaced by another keeps none of the old one's keys.
            String path = kind.section() + ".name";
            if (given.hasPath(path) && base.hasPath(path) && !given.getValue(path).unwrapped().equals(base.getString(path))) {
                base = base.withoutPath(kind.section());
            }
        }
        Config user = given.withFallback(base);
        var run = w.resolve(user);
        Path out = options.out != null ? options.out : from.resolve("sample-" + run.names().get(ComponentKind.SAMPLER));
        return w.execute("sample", run, out, options.force, false, true, from.resolve(Checkpoints.FILE));
    }
}
