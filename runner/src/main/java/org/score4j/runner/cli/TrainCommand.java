package org.score4j.runner.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "train", description = "Train a model and write its checkpoint, training log and score metrics.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Override
    public Integer call() {
        return Workflow.train("train", options, false);
    }
}
