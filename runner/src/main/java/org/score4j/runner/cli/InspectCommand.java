package org.score4j.runner.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.score4j.core.training.Inspection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", description = "Show a checkpoint's header (format, step, hashes, tensors) or a run directory's "
        + "lock holder, manifest and checkpoints, without loading or locking anything.")
public final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", description = "a checkpoint file (checkpoints/step-N.safetensors) or a run directory")
    Path path;

    @Override
    public Integer call() {
        Inspection.describe(path).forEach(System.out::println);
        return 0;
    }
}
