package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.core.RunProgress;
import org.score4j.core.plugins.Catalog;
import org.score4j.core.samplerbench.BenchCell;
import org.score4j.core.samplerbench.BenchOptions;
import org.score4j.core.samplerbench.BenchProblem;
import org.score4j.core.samplerbench.BudgetTable;
import org.score4j.core.samplerbench.SamplerBench;
import org.score4j.core.samplerbench.SamplerBenchReport;
import org.score4j.core.samplerbench.SamplerBenchResult;

/** {@code score4j bench-samplers}: the quick benchmark in this JVM, its tables and figure, and its mistakes. */
class SamplerBenchTest {
    @TempDir
    Path dir;

    @Test
    void theQuickBenchmarkFillsItsTablesAndErrorsFallWithTheBudget() throws Exception {
        BenchOptions quick = BenchOptions.quick();
        SamplerBenchResult r = new SamplerBench(Catalog.discover(null), BenchProblem.defaults(), quick)
                .run(RunProgress.NONE);
        int samplers = BudgetTable.SAMPLERS.size();
        assertThat(r.cells()).hasSize(2 * samplers * 2);
        for (BenchCell c : r.cells()) {
            assertThat(c.evaluations()).as("%s at %d", c.sampler(), c.budget()).isPositive()
                    .isLessThanOrEqualTo(c.budget());
            if (!c.failed()) {
                assertThat(c.slicedW2()).isPositive().isFinite();
                assertThat(c.modeWeightError()).isBetween(0.0, 1.0);
                assertThat(c.mmd2()).isFinite();
            }
        }
        // At 200 evaluations every sampler runs; below rk45's minimum (27) probability-flow stops at its cap.
        assertThat(r.cells()).filteredOn(c -> c.budget() == 200).noneMatch(BenchCell::failed);
        for (String sampler : List.of("annealed-langevin", "probability-flow")) {
            List<BenchCell> s = r.series("ncsn-2d", sampler);
            assertThat(s).extracting(BenchCell::budget).containsExactly(50, 200);
            assertThat(s.get(1).slicedW2()).as("%s: sliced W2 at 200 evaluations against 50", sampler)
                    .isLessThan(0.8 * s.get(0).slicedW2());
            assertThat(s.get(1).modeWeightError()).as("%s: mode-weight error at 200 against 50", sampler)
                    .isLessThanOrEqualTo(s.get(0).modeWeightError());
        }
        // The deterministic ODE samplers at 200 evaluations are within twice the data floor in sliced W2.
        double floor = r.floors().get("ncsn-2d").slicedW2();
        for (String ode : BudgetTable.ODE_SAMPLERS) {
            assertThat(r.series("ncsn-2d", ode).get(1).slicedW2()).as(ode).isLessThan(2 * floor);
        }
        // One likelihood row per problem and budget; at 200 evaluations' tolerance (1e-5) the NLL is within 0.002.
        assertThat(r.likelihood()).hasSize(4);
        assertThat(r.likelihood()).filteredOn(e -> e.budgets().contains(200))
                .allSatisfy(e -> assertThat(e.meanAbsolute()).isLessThan(0.002));
        assertThat(r.priorGaps()).containsOnlyKeys("ncsn-2d", "mixture-16d");

        String md = SamplerBenchReport.markdown(r);
        assertThat(md).contains("## NCSN 2-D mixture", "## 16-D mixture", "## Likelihood error", "## Budgets",
                "| sampler | budget | evaluations | settings | mode-weight error (×) | sliced W2 (×) | MMD² | seconds |",
                "| annealed-langevin | 200 | 196 | L = 39, T = 5 |", "| probability-flow | 200 |");
        long rows = md.lines().filter(l -> l.matches("\\| [a-z0-9-]+ \\| \\d+ \\| \\d+ \\| .*")).count();
        assertThat(rows).isEqualTo(2L * samplers * 2);
        String csv = SamplerBenchReport.csv(r);
        assertThat(csv.lines()).hasSize(1 + 2 * samplers * 2);
        assertThat(csv.lines().skip(1)).allSatisfy(l -> assertThat(l.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1))
                .hasSize(13));
        Path png = dir.resolve("bench-samplers.png");
        SamplerBenchReport.figure(r, png);
        assertThat(javax.imageio.ImageIO.read(png.toFile()).getWidth()).isGreaterThan(400);
    }

    @Test
    void theCommandWritesItsTablesAndFigureIntoTheRunDirectory() throws Exception {
        var r = Score4jProcess.inProcess(dir, "bench-samplers", "--quick", "--samplers", "edm,probability-flow",
                "--budgets", "50", "--chains", "64", "-o", "b");
        assertThat(r.exitCode()).as(r.err()).isZero();
        for (String f : List.of("bench-samplers.md", "bench-samplers.csv", "likelihood-error.csv",
                "bench-samplers.png")) {
            assertThat(dir.resolve("b").resolve(f)).as(f).isNotEmptyFile();
        }
        assertThat(Files.readAllLines(dir.resolve("b/bench-samplers.csv"))).hasSize(1 + 2 * 2);
        assertThat(r.out()).contains("| edm | 50 | 49 | N = 25, Heun |").contains("wrote b (bench-samplers.md");
        var again = Score4jProcess.inProcess(dir, "bench-samplers", "--quick", "--samplers", "edm", "-o", "b");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("is not empty").contains("--force");
    }

    @Test
    void theCommandNamesItsMistakes() {
        var low = Score4jProcess.inProcess(dir, "bench-samplers", "--budgets", "5", "-o", "b");
        assertThat(low.exitCode()).isEqualTo(2);
        assertThat(low.err()).contains("budgets must be at least 10 score evaluations, got 5");
        var unknown = Score4jProcess.inProcess(dir, "bench-samplers", "--samplers", "edn", "-o", "b");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown sampler 'edn'").contains("did you mean 'edm'");
        assertThat(Files.exists(dir.resolve("b"))).isFalse();
    }
}
