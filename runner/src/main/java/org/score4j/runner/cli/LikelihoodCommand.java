package org.score4j.runner.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.score4j.core.UserError;
import org.score4j.core.app.Application;
import org.score4j.core.app.RunResult;
import org.score4j.runner.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "likelihood", description = "Held-out negative log-likelihood of a trained run by the probability-flow "
        + "ODE (nats; bits/dim for dequantised images): score4j likelihood --from runs/X [--examples N] "
        + "[--time-budget 10m]")
public final class LikelihoodCommand implements Callable<Integer> {
    @Mixin
    FromRunOptions run;
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(s|m|h)?");

    @Option(names = "--examples", paramLabel = "N", defaultValue = "0",
            description = "held-out examples to score (default: eval.likelihood.examples, or image-examples for images)")
    int examples;

    @Option(names = "--time-budget", paramLabel = "TIME",
            description = "stop after this long (90s, 10m, 1h), reporting the batches not finished")
    String timeBudget;

    @Override
    public Integer call() {
        if (examples < 0 || examples > 10_000_000) {
            throw new UserError("--examples expects a number of examples between 1 and 10000000, got " + examples);
        }
        List<String> settings = new ArrayList<>(run.overrides);
        if (timeBudget != null) {
            settings.add("eval.likelihood.time-budget=" + seconds(timeBudget));
        }
        Application app = RunCommands.application(run.plugins);
        RunResult r = app.likelihood(run.from, settings, examples, run.out, run.force, new ProgressBar(System.err));
        @SuppressWarnings("unchecked")
        Map<String, Object> l = (Map<String, Object>) r.metrics().get("likelihood");
        System.out.println(String.format(Locale.ROOT, "NLL %s ± %s nats per example over %s of %s examples (%s)",
                l.get("nll_nats"), l.get("nll_standard_error"), l.get("finished_examples"), l.get("examples"),
                l.get("source")));
        if (l.get("bits_per_dim") instanceof Number bpd) {
            System.out.println("bits/dim " + bpd + " ± " + l.get("bits_per_dim_standard_error") + " ("
                    + l.get("dequantization") + ")");
        }
        if (l.containsKey("exact_nll_nats")) {
            System.out.println("exact NLL of the same examples " + l.get("exact_nll_nats") + " nats (a perfect score); "
                    + "data entropy " + l.get("data_entropy_nats") + " nats");
        }
        if (l.containsKey("unfinished")) {
            System.out.println("unfinished: " + l.get("unfinished"));
        }
        System.out.println("wrote " + r.directory().resolve("metrics.json") + " and likelihood.csv");
        return 0;
    }

    /** Seconds in {@code 90s}, {@code 10m}, {@code 1h} or a plain number of seconds. */
    public static double seconds(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UserError("--time-budget expects a duration such as 90s, 10m or 1h, got '" + text + "'");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return v * switch (unit) {
            case "h" -> 3600;
            case "m" -> 60;
            default -> 1;
        };
    }
}
