package org.score4j.runner.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.score4j.core.app.Application;
import org.score4j.core.app.RunResult;
import org.score4j.core.plugins.Catalog;

/** What the run-like commands share: the application over the discovered plugins, the default directory, the report. */
final class RunCommands {
    private RunCommands() {
    }

    static Application application(Path plugins) {
        return new Application(Catalog.discover(plugins));
    }

    static Path defaultOut() {
        return Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** The components of a run, one {@code slot=name} each. */
    static String summary(org.score4j.core.config.ResolvedRun run) {
        StringBuilder b = new StringBuilder();
        for (org.score4j.core.config.ComponentSlot slot : org.score4j.core.config.ComponentSlot.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(slot.path()).append('=').append(run.name(slot));
        }
        return b.toString();
    }

    /** Prints the summary of a finished run. */
    static int report(RunResult result, PrintStream out) {
        StringBuilder b = new StringBuilder();
        Map<String, Object> metrics = result.metrics();
        if (metrics.get("train") instanceof Map<?, ?> t) {
            b.append(String.format(Locale.ROOT, "trained %s steps in %ss, final loss %s%n", t.get("steps"), t.get("seconds"),
                    t.get("final_loss")));
        }
        if (metrics.get("samples") instanceof Map<?, ?> s) {
            if (s.containsKey("mode_weights")) {
                b.append(String.format(Locale.ROOT, "mode weights %s (expected %s, max error %s)%n",
                        Arrays.toString((double[]) s.get("mode_weights")),
                        Arrays.toString((double[]) s.get("expected_mode_weights")), s.get("mode_weight_max_error")));
            }
            b.append(String.format(Locale.ROOT, "sliced W2 %s (data floor %s), MMD² %s (data floor %s)%n",
                    s.get("sliced_wasserstein2"), s.get("sliced_wasserstein2_data_floor"), s.get("mmd2_rbf"),
                    s.get("mmd2_rbf_data_floor")));
        }
        b.append("wrote ").append(result.directory()).append(" (config.conf, provenance.json, metrics.json")
                .append(metrics.containsKey("samples") ? ", samples.csv" : "")
                .append(metrics.containsKey("train") ? ", checkpoints/, train-log.csv" : "").append(", plots)\n");
        out.print(b);
        return 0;
    }
}
