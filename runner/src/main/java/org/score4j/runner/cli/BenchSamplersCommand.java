package org.score4j.runner.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.score4j.core.UserError;
import org.score4j.core.output.RunDirectory;
import org.score4j.core.plugins.Catalog;
import org.score4j.core.samplerbench.BenchOptions;
import org.score4j.core.samplerbench.BenchProblem;
import org.score4j.core.samplerbench.BudgetTable;
import org.score4j.core.samplerbench.SamplerBench;
import org.score4j.core.samplerbench.SamplerBenchReport;
import org.score4j.core.samplerbench.SamplerBenchResult;
import org.score4j.runner.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-samplers", description = "Benchmark every sampler with the exact score of two Gaussian mixtures "
        + "(the NCSN 2-D one and a 16-D anisotropic one) at budgets of score evaluations: mode-weight error, sliced W2 "
        + "and MMD² against the data floor, the probability-flow likelihood's error at the sampler's tolerances, "
        + "and an error-versus-evaluations figure.")
public final class BenchSamplersCommand implements Callable<Integer> {
    @Option(names = "--budgets", split = ",", paramLabel = "N",
            description = "score-evaluation budgets, each at least 10 (default: 10,20,50,100,300,1000)")
    List<Integer> budgets = new ArrayList<>();

    @Option(names = "--samplers", split = ",", paramLabel = "NAME",
            description = "samplers to run (default: all): langevin, annealed-langevin, reverse-diffusion, "
                    + "predictor-corrector, consistent-annealed, edm, probability-flow, dpm-solver-pp-2m")
    List<String> samplers = new ArrayList<>();

    @Option(names = "--chains", paramLabel = "N", description = "chains per run (default: 1280; --quick: 256)")
    Integer chains;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--quick", description = "a small run: budgets 50 and 200, 256 chains, 32 likelihood points, "
            + "1000 reference points")
    boolean quick;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "output directory (default: runs/bench-samplers-<time>)")
    Path out;

    @Option(names = "--force", description = "write into a non-empty output directory, replacing the files score4j "
            + "wrote there (never others)")
    boolean force;

    @Override
    public Integer call() throws IOException {
        BenchOptions options = options();
        SamplerBench bench = new SamplerBench(Catalog.discover(null), BenchProblem.defaults(), options);
        Path dir = out != null ? out : Path.of("runs", "bench-samplers-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try (RunDirectory run = RunDirectory.create(dir, force, "score4j bench-samplers")) {
            SamplerBenchResult result = bench.run(new ProgressBar(System.err));
            String markdown = SamplerBenchReport.markdown(result);
            run.writeText("bench-samplers.md", markdown);
            run.writeText("bench-samplers.csv", SamplerBenchReport.csv(result));
            run.writeText("likelihood-error.csv", SamplerBenchReport.likelihoodCsv(result));
            SamplerBenchReport.figure(result, run.file("bench-samplers.png"));
            System.out.println(markdown);
            System.out.println("wrote " + run.path() + " (bench-samplers.md, bench-samplers.csv, likelihood-error.csv, "
                    + "bench-samplers.png)");
        }
        return 0;
    }

    /** The options given, over the defaults (or the quick ones). */
    BenchOptions options() {
        BenchOptions base = quick ? BenchOptions.quick() : BenchOptions.defaults();
        try {
            return base.with(budgets.isEmpty() ? base.budgets() : budgets,
                    samplers.isEmpty() ? BudgetTable.SAMPLERS : samplers, chains != null ? chains : base.chains(), seed);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
