package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees for configuration mistakes: one message listing every problem, exit code 2, no stack trace. */
class ConfigErrorsTest {
    @TempDir
    Path dir;

    @Test
    void everyProblemIsReportedOnceWithSuggestions() throws Exception {
        Files.writeString(dir.resolve("user.conf"), """
                trian { steps = 3 }
                train { stpes = 5, batch-size = 0 }
                schedule { sigma-min = -1 }
                sampler { name = anealed-langevin }
                """);
        assertThat(refused("run", "-c", "user.conf", "--set", "model.hiden=64"))
                .contains("score4j: the configuration has 6 problems:")
                .contains("trian: unknown key (did you mean 'train'?)")
                .contains("train.stpes: unknown key (did you mean 'steps'?)")
                .contains("train.batch-size: expected a whole number of at least 1, got 0 (user.conf:2)")
                .contains("schedule.sigma-min: expected a number greater than 0, got -1 (user.conf:3)")
                .contains("sampler.name: unknown sampler 'anealed-langevin' (did you mean 'annealed-langevin'?); "
                        + "known: annealed-langevin, consistent-annealed, dpm-solver-pp-2m, edm, langevin, "
                        + "predictor-corrector, probability-flow, reverse-diffusion")
                .contains("model.hiden: unknown key (did you mean 'hidden'?)")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(dir.resolve("runs")).doesNotExist();
    }

    @Test
    void crossFieldAndFileProblems() throws Exception {
        assertThat(refused("train", "--set", "schedule.sigma-max=0.5", "--set", "data.name=csv",
                "--set", "data.path=" + dir.resolve("missing.csv")))
                .contains("schedule.sigma-max: must be greater than sigma-min (1.0), got 0.5")
                .contains("data.path: file missing.csv does not exist").doesNotContain("\tat ");

        assertThat(refused("run", "-c", "nope.conf")).contains("score4j: configuration file nope.conf does not exist");

        assertThat(refused("run", "--frobnicate")).contains("Unknown option: '--frobnicate'");
    }

    @Test
    void anObjectiveThatCannotTrainOnTheDataIsRefusedBeforeTraining() throws Exception {
        StringBuilder csv = new StringBuilder();
        for (int row = 0; row < 20; row++) {
            csv.append(String.join(",", java.util.Collections.nCopies(12, Integer.toString(row)))).append('\n');
        }
        Files.writeString(dir.resolve("wide.csv"), csv);
        assertThat(refused("train", "--set", "objective.name=exact-sm", "--set", "data.name=csv",
                "--set", "data.path=" + dir.resolve("wide.csv")))
                .contains("objective.name: 'exact-sm' cannot train on the data 'csv': ")
                .contains("the data has d = 12 dimensions [12], more than max-dimension = 10")
                .doesNotContain("\tat ");
        assertThat(dir.resolve("runs")).doesNotExist();
    }

    @Test
    void aModelThatCannotTakeTheDataIsRefusedBeforeAnythingRuns() throws Exception {
        assertThat(refused("train", "--set", "model.name=ncsn-unet"))
                .contains("model.name: 'ncsn-unet' cannot take the data 'mixture': "
                        + "ncsn-unet needs images of shape [channels, height, width], got [2]").doesNotContain("\tat ");
        assertThat(refused("train", "--set", "model.name=ncsn-unet", "--set", "data.name=digits",
                "--set", "data.size=30", "--set", "data.count=20", "--set", "data.held-out=0"))
                .contains("height and width must be divisible by 4, got 30×30; use fewer multipliers")
                .doesNotContain("internal error");
        assertThat(dir.resolve("runs")).doesNotExist();
    }

    @Test
    void movedKeysOfScore4jOneSayWhereTheyWent() throws Exception {
        assertThat(refused("train", "--set", "train.learning-rate=0.01", "--set", "sampler.denoise=false"))
                .contains("train.learning-rate: moved to optimizer.learning-rate in score4j 2.0")
                .contains("sampler.denoise: moved to sample.to-zero in score4j 2.0");
    }

    @Test
    void aMisspelledCommandGetsASuggestionAndExitCodeTwo() throws Exception {
        assertThat(refused("runn")).contains("score4j: unknown command 'runn' (did you mean 'run'?)");
        assertThat(refused("likelyhood")).contains("score4j: unknown command 'likelyhood'");
    }

    @Test
    void aMisspelledOptionGetsASuggestionAndExitCodeTwo() throws Exception {
        assertThat(refused("bench", "--thread", "2"))
                .contains("score4j: Unknown options: '--thread', '2' (did you mean '--threads'?)");
        assertThat(refused("run", "--sett=seed=2"))
                .contains("score4j: Unknown option: '--sett=seed=2' (did you mean '--set'?)");
    }

    @Test
    void brokenCheckpointIsNamed() throws Exception {
        Path run = Files.createDirectories(dir.resolve("old/checkpoints"));
        Files.writeString(dir.resolve("old/config.conf"), "seed = 1\n");
        Files.writeString(run.resolve("step-0000000005.safetensors"), "not a tensor file at all");
        assertThat(refused("sample", "--from", "old")).contains("no readable checkpoint in old/checkpoints:")
                .contains("checkpoint old/checkpoints/step-0000000005.safetensors cannot be read: the header length")
                .doesNotContain("\tat ");
        Files.delete(run.resolve("step-0000000005.safetensors"));
        Files.writeString(run.resolve("step-0000000005.zip"), "PK");
        assertThat(refused("sample", "--from", "old"))
                .contains("old/checkpoints holds only score4j 1.x checkpoints (step-0000000005.zip");
        var none = Score4jProcess.inProcess(dir, "sample", "--from", "nowhere");
        assertThat(none.err()).contains("nowhere is not a score4j run directory (no config.conf)");
    }

    /** Runs the command in-process, checks that it exited with code 2, and returns its standard error. */
    private String refused(String... args) {
        var r = Score4jProcess.inProcess(dir, args);
        assertThat(r.exitCode()).isEqualTo(2);
        return r.err();
    }
}
