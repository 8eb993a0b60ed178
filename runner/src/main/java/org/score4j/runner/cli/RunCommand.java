package org.score4j.runner.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
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
        return resume != null ? Workflow.resume("run", options, engine, resume, true) : Workflow.train("run", options, engine, true);
    }
}
