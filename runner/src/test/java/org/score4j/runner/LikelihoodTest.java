package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.core.lib.Score4j;
import org.score4j.core.UserError;
import org.score4j.core.lib.Likelihood;
import org.score4j.core.lib.TrainedRun;
import org.score4j.core.output.RunDirectory;

/** The held-out likelihood of trained runs: in metrics.json, through score4j likelihood and the Java API. */
class LikelihoodTest {
    @TempDir
    static Path dir;
    private static TrainedRun trained;

    @BeforeAll
    static void train() {
        trained = Score4j.run().set("train.steps", 1500).set("eval.fisher-samples", 100).set("eval.plots", false)
                .set("eval.likelihood.examples", 300).out(dir.resolve("run")).train();
    }

    @Test
    void everyRunOnVectorsReportsItsHeldOutNllBesideTheExactOneAndTheDataEntropy() throws Exception {
        JsonNode l = RunDirectory.readJson(dir.resolve("run/metrics.json")).get("likelihood");
        assertThat(l.get("examples").asInt()).isEqualTo(300);
        assertThat(l.get("finished_examples").asInt()).isEqualTo(300);
        assertThat(l.get("source").asText()).contains("fresh draws");
        assertThat(l.get("seed").asLong()).isEqualTo(1);
        assertThat(l.get("divergence").asText()).startsWith("exact trace");
        double nll = l.get("nll_nats").asDouble();
        double exact = l.get("exact_nll_nats").asDouble();
        double entropy = l.get("data_entropy_nats").asDouble();
        // The NCSN mixture perturbed at σ = 1: a trained score comes close to the exact density of the same points,
        // which is above the clean data's entropy (noise spreads the density).
        assertThat(exact).isGreaterThan(entropy + 0.05);
        assertThat(nll).isCloseTo(exact, within(0.15)).isGreaterThan(exact - 4 * l.get("nll_standard_error").asDouble());
    }

    @Test
    void theCommandWritesEachExamplesValueAndTheJavaApiReturnsTheSameFigures() throws Exception {
        var cli = Score4jProcess.inProcess(dir, "likelihood", "--from", "run", "--examples", "120", "-o", "cli");
        assertThat(cli.exitCode()).as(cli.all()).isZero();
        assertThat(cli.out()).contains("NLL ").contains("over 120 of 120 examples").contains("exact NLL of the same examples");
        List<String> csv = Files.readAllLines(dir.resolve("cli/likelihood.csv"));
        assertThat(csv).hasSize(121).first().isEqualTo("example,nll_nats,log_prior,divergence_integral");
        double mean = csv.stream().skip(1).mapToDouble(r -> Double.parseDouble(r.split(",")[1])).average().orElseThrow();
        JsonNode l = RunDirectory.readJson(dir.resolve("cli/metrics.json")).get("likelihood");
        assertThat(l.get("nll_nats").asDouble()).isCloseTo(mean, within(1e-5 * Math.abs(mean)));
        for (String row : csv.subList(1, csv.size())) {
            String[] c = row.split(",");
            assertThat(Double.parseDouble(c[1])).isCloseTo(-(Double.parseDouble(c[2]) + Double.parseDouble(c[3])),
                    within(1e-5));
        }
        Likelihood api = trained.likelihood(120);
        assertThat(api.nllNats()).isEqualTo(l.get("nll_nats").asDouble());
        assertThat(api.finishedExamples()).isEqualTo(120);
        assertThat(api.bitsPerDim()).isEmpty();
        assertThat(api.metrics()).containsKey("exact_nll_nats");
    }

    @Test
    void aTimeBudgetOrAnEvaluationCapEndsWithWhatFinishedNeverAHang() throws Exception {
        var cli = Score4jProcess.inProcess(dir, "likelihood", "--from", "run", "--examples", "600", "--time-budget",
                "0.001s", "-o", "budget");
        assertThat(cli.exitCode()).as(cli.all()).isZero();
        assertThat(cli.out()).contains("unfinished: ").contains("time budget");
        Likelihood capped = trained.likelihood(100, Map.of("eval.likelihood.max-evaluations", 12));
        assertThat(capped.finishedExamples()).isZero();
        assertThat(capped.metrics().get("unfinished").toString()).contains("evaluation cap");
    }

    @Test
    void mistakesAreNamed() {
        var duration = Score4jProcess.inProcess(dir, "likelihood", "--from", "run", "--time-budget", "soon");
        assertThat(duration.exitCode()).isEqualTo(2);
        assertThat(duration.err()).contains("--time-budget expects a duration such as 90s, 10m or 1h, got 'soon'");
        var key = Score4jProcess.inProcess(dir, "likelihood", "--from", "run", "--set", "eval.likelihood.divergance=exact");
        assertThat(key.exitCode()).isEqualTo(2);
        assertThat(key.err()).contains("eval.likelihood.divergance: unknown key (did you mean 'likelihood.divergence'?)");
        assertThatThrownBy(() -> Score4j.run().set("schedule.levels", 1).set("schedule.sigma-max", 1)
                .set("train.steps", 20).set("eval.likelihood.examples", 0).set("sampler.name", "langevin")
                .out(dir.resolve("one-level")).train().likelihood(10)).isInstanceOf(UserError.class)
                .hasMessageContaining("the schedule has one level");
        assertThat(org.score4j.runner.cli.LikelihoodCommand.seconds("10m")).isEqualTo(600);
        assertThat(org.score4j.runner.cli.LikelihoodCommand.seconds("1.5h")).isEqualTo(5400);
        assertThat(org.score4j.runner.cli.LikelihoodCommand.seconds("90")).isEqualTo(90);
    }
}
