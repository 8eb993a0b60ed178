package org.score4j.runner.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", description = "Train a model and write its checkpoint, training log and score metrics.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "continue a run from its newest readable checkpoint (same config; --set train.steps=N to go further)")
    Path resume;

    @Override
    public Integer call() {
        return resume != null ? Workflow.resume("train", options, engine, resume, false) : Workflow.train("train", options, engine, false);
    }
}
