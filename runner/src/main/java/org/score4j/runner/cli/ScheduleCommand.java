package org.score4j.runner.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.random.Seeds;
import org.score4j.core.UserError;
import org.score4j.core.config.ConfigSources;
import org.score4j.core.evaluation.SampleMetrics;
import org.score4j.core.evaluation.ScheduleAdvice;
import org.score4j.core.config.ResolvedRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "suggest-schedule", description = "Suggest σ_max, the number of levels and the annealed sampler's step "
        + "size for the configured data (NCSNv2's techniques), e.g. score4j suggest-schedule --set data.name=digits "
        + "--sigma-min 0.01")
public final class ScheduleCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--sigma-min", paramLabel = "σ", description = "the smallest level (default: the configured schedule's sigma-min)")
    Double sigmaMin;

    @Option(names = "--steps-per-level", paramLabel = "T", defaultValue = "100",
            description = "steps per level of annealed Langevin (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--points", paramLabel = "N", defaultValue = "2000",
            description = "data points whose largest distance sets σ_max (default: ${DEFAULT-VALUE})")
    int points;

    @Override
    public Integer call() {
        if (options.out != null || options.force) {
            throw new UserError("suggest-schedule only prints; it takes no -o/--out or --force");
        }
        ResolvedRun run = RunCommands.application(options.plugins).resolve(ConfigSources.user(options.config,
                options.overrides));
        double min = sigmaMin != null ? sigmaMin : run.schedule().smallest();
        if (!(min > 0) || steps < 1 || points < 2) {
            throw new UserError("--sigma-min must be > 0, --steps-per-level ≥ 1 and --points ≥ 2");
        }
        double[][] data = SampleMetrics.points(run.data().sample(points, new SeededRandom(Seeds.derive(run.seed(), "schedule"))));
        ScheduleAdvice a = ScheduleAdvice.suggest(data, min, steps);
        System.out.printf(Locale.ROOT, """
                data '%s': %d dimension%s; largest distance between %d data points: %.4g
                %s
                suggested (NCSNv2 techniques 1, 2 and 4; σ_min is yours to choose: the noise left in the samples):
                  schedule { name = geometric, sigma-max = %.4g, sigma-min = %.4g, levels = %d }
                  sampler { name = annealed-langevin, steps-per-level = %d, step-size = %.3g }
                """, run.name(org.score4j.core.config.ComponentSlot.DATA), a.dimension(), a.dimension() == 1 ? "" : "s",
                points, a.largestDistance(), a.overlapBinds()
                        ? String.format(Locale.ROOT, "consecutive levels overlap at the ratio γ = %.4f (geometric schedule)", a.ratio())
                        : "in " + a.dimension() + " dimensions any ratio keeps consecutive levels overlapping; ten levels as in NCSN",
                a.sigmaMax(), a.sigmaMin(), a.levels(), a.stepsPerLevel(),
                a.stepSize());
        return 0;
    }
}
