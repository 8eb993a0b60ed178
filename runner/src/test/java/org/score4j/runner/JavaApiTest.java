package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.core.lib.Score4j;
import org.score4j.core.UserError;
import org.score4j.core.lib.RunBuilder;
import org.score4j.core.lib.StudyResult;
import org.score4j.core.lib.TrainedRun;
import org.score4j.core.output.RunDirectory;

/** The Java API gives what the command line gives for the same configuration, with the same checks and messages. */
class JavaApiTest {
    @TempDir
    Path dir;

    private static RunBuilder small() {
        return Score4j.run().set("train.steps", 300).set("model.hidden", 32).set("sample.count", 400)
                .set("eval.fisher-samples", 100).set("eval.reference-samples", 1000).set("eval.plots", false);
    }

    private static final String[] SMALL = {"--set", "train.steps=300", "--set", "model.hidden=32", "--set",
            "sample.count=400", "--set", "eval.fisher-samples=100", "--set", "eval.reference-samples=1000", "--set",
            "eval.plots=false"};

    @Test
    void aRunBuiltInCodeGivesTheCommandLinesMetrics() throws Exception {
        TrainedRun api = small().objective("ssm-vr").out(dir.resolve("api")).run();
        String[] args = concat(new String[] {"run", "-o", "cli", "--set", "objective.name=ssm-vr"}, SMALL);
        var cli = Score4jProcess.inProcess(dir, args);
        assertThat(cli.exitCode()).as(cli.all()).isZero();
        JsonNode a = RunDirectory.readJson(dir.resolve("api/metrics.json"));
        JsonNode c = RunDirectory.readJson(dir.resolve("cli/metrics.json"));
        assertThat(a.at("/train/final_loss").asDouble()).isEqualTo(c.at("/train/final_loss").asDouble());
        assertThat(a.at("/samples/sliced_wasserstein2").asDouble()).isEqualTo(c.at("/samples/sliced_wasserstein2").asDouble());
        assertThat(api.training().finalLoss()).isEqualTo(c.at("/train/final_loss").asDouble(),
                org.assertj.core.data.Offset.offset(1e-6 * Math.abs(api.training().finalLoss())));
        var samples = api.samples().orElseThrow();
        assertThat(samples.values().shape()).containsExactly(400, 2);
        assertThat(samples.metrics().modeWeights()).hasSize(2);
        assertThat(samples.metrics().slicedWasserstein2()).isEqualTo(c.at("/samples/sliced_wasserstein2").asDouble());
        // More samples from the trained model, with another sampler.
        var edm = api.sample(300, java.util.Map.of("sampler.name", "edm"));
        assertThat(edm.values().shape()).containsExactly(300, 2);
        assertThat(edm.all().toString()).contains("sampler=edm");
        assertThat(api.model().parameterCount()).isPositive();
    }

    @Test
    void mistakesRaiseTheCommandLinesMessagesAsExceptions() {
        assertThatThrownBy(() -> Score4j.run().set("train.stpes", 5).set("sampler.name", "anealed-langevin").resolve())
                .isInstanceOf(UserError.class)
                .hasMessageContaining("train.stpes: unknown key (did you mean 'steps'?)")
                .hasMessageContaining("sampler.name: unknown sampler 'anealed-langevin' (did you mean 'annealed-langevin'?)");
        var cli = Score4jProcess.inProcess(dir, "train", "--set", "train.stpes=5", "--set", "sampler.name=anealed-langevin");
        String message = cli.err().replaceFirst("^score4j: ", "").strip();
        assertThatThrownBy(() -> Score4j.run().set("train.stpes", 5).set("sampler.name", "anealed-langevin").resolve())
                .hasMessage(message);
    }

    @Test
    void aBuiltRunRendersTheHoconTheCommandLineAccepts() throws Exception {
        RunBuilder built = Score4j.run().data("rings").objective("dsm").sampler("edm").set("sampler.s-churn", 10)
                .set("model.hidden", 48).set("schedule.levels", 12).optimizer("adamw").set("optimizer.weight-decay", 0.001)
                .learningRateSchedule("cosine").set("sample.schedule.name", "karras").seed(7);
        Files.writeString(dir.resolve("built.conf"), built.hocon());
        String fromFile = Score4j.run().configFile(dir.resolve("built.conf")).resolve().rendered();
        String fromText = Score4j.run().config(built.hocon()).resolve().rendered();
        assertThat(fromFile).isEqualTo(built.resolve().rendered()).isEqualTo(fromText);
        assertThat(built.hocon()).contains("s-churn").contains("karras");
    }

    @Test
    void aStudyBuiltInCodeGivesTheTableOfTheSameStudyFile() throws Exception {
        StudyResult api = Score4j.study("api").base(small()).vary("objective.name", "dsm", "ssm-vr").seeds(1)
                .metric("small-mode weight", "samples.mode_weights.0").out(dir.resolve("api-study")).run();
        assertThat(api.rows()).extracting(StudyResult.Row::label).containsExactly("objective.name=dsm",
                "objective.name=ssm-vr");
        assertThat(api.columns()).containsExactly("small-mode weight");
        Files.writeString(dir.resolve("study.conf"), Score4j.study("api").base(small())
                .vary("objective.name", "dsm", "ssm-vr").seeds(1).metric("small-mode weight", "samples.mode_weights.0")
                .hocon());
        var cli = Score4jProcess.inProcess(dir, "ablate", "-c", "study.conf", "-o", "cli-study");
        assertThat(cli.exitCode()).as(cli.all()).isZero();
        List<String> table = Files.readAllLines(dir.resolve("cli-study/summary.csv"));
        assertThat(table).hasSize(3);
        int column = List.of(table.get(0).split(",")).indexOf("small-mode weight mean");
        assertThat(column).as(table.get(0)).isPositive();
        assertThat(api.mean("objective.name=dsm", "small-mode weight"))
                .isEqualTo(Double.parseDouble(table.get(1).split(",")[column]));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
