package org.score4j.runner.cli;

import java.util.concurrent.Callable;
import org.score4j.core.UserError;
import org.score4j.core.app.Application;
import org.score4j.core.app.RunResult;
import org.score4j.runner.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "inpaint", description = "Fill a masked part of held-out images with a trained run's model (NCSN's "
        + "inpainting): score4j inpaint --from runs/digits --mask half (writes inpainting.png)")
public final class InpaintCommand implements Callable<Integer> {
    @Mixin
    FromRunOptions run;

    @Option(names = "--mask", paramLabel = "KIND", defaultValue = "half",
            description = "half (the right half), box (a centred square) or random (pixels) (default: ${DEFAULT-VALUE})")
    String mask;

    @Option(names = "--fraction", paramLabel = "F", defaultValue = "0.25",
            description = "the share of each image filled, for box and random (default: ${DEFAULT-VALUE})")
    double fraction;

    @Option(names = "--count", paramLabel = "N", defaultValue = "16",
            description = "held-out images to inpaint (default: ${DEFAULT-VALUE})")
    int count;

    @Override
    public Integer call() {
        if (count < 1 || count > 4096) {
            throw new UserError("--count expects a number of images between 1 and 4096, got " + count);
        }
        Application app = RunCommands.application(run.plugins);
        ProgressBar bar = new ProgressBar(System.err);
        RunResult r = app.inpaint(run.from, run.overrides, run.out, run.force, mask, fraction, count, bar);
        System.out.println("inpainting " + r.metrics().get("inpainting"));
        System.out.println("wrote " + r.directory().resolve("inpainting.png"));
        return 0;
    }
}
