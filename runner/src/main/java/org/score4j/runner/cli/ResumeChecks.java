package org.score4j.runner.cli;

import java.nio.file.Path;
import org.score4j.core.UserError;

/** The options {@code --resume} cannot be combined with. */
final class ResumeChecks {
    private ResumeChecks() {
    }

    static void check(CommonOptions options, EngineOptions engine, Path runDir) {
        if (!engine.local()) {
            throw new UserError("--resume continues a run in this process; leave out --engine " + engine.engine);
        }
        if (options.config != null) {
            throw new UserError("--resume continues " + runDir + " with its own config.conf; change keys with --set, not -c");
        }
        if (options.out != null && !options.out.equals(runDir)) {
            throw new UserError("--resume writes into the run it continues (" + runDir + "); -o cannot name another directory");
        }
    }
}
