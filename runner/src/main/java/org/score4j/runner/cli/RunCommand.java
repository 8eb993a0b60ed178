package org.score4j.runner.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", description = "Train a model, sample it, evaluate: the whole pipeline. With no configuration, "
        + "the NCSN 2-D mixture experiment.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Override
    public Integer call() {
        return Workflow.train("run", options, true);
    }
}
