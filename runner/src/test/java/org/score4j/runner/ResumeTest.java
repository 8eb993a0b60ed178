package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.random.SeededRandom;
import org.score4j.core.output.RunDirectory;
import org.score4j.core.plugins.Catalog;
import org.score4j.core.training.Checkpoints;
import org.score4j.core.training.Models;

/** Resuming a run continues it exactly, and refuses what would not be the same run. */
class ResumeTest {
    static final String[] SMALL = {"--set", "model.hidden=32", "--set", "train.checkpoint-every=20",
            "--set", "train.log-every=10", "--set", "eval.plots=false", "--set", "eval.fisher-samples=200"};

    @TempDir
    Path dir;

    @Test
    void anInterruptedAndResumedRunIsBitIdenticalToAnUninterruptedOne() throws Exception {
        assertThat(train("whole", "--set", "train.steps=60").exitCode()).isZero();
        assertThat(train("part", "--set", "train.steps=40").exitCode()).isZero();
        var resumed = Score4jProcess.run(dir, "train", "--resume", "part", "--set", "train.steps=60");
        assertThat(resumed.exitCode()).as(resumed.all()).isZero();
        assertThat(resumed.err()).contains("resuming part from step-0000000040.safetensors (step 40)");

        assertThat(withoutSeconds(dir.resolve("part/train-log.csv"))).hasSize(7)
                .isEqualTo(withoutSeconds(dir.resolve("whole/train-log.csv")));
        assertThat(RunDirectory.readJson(dir.resolve("part/metrics.json")).at("/train/final_loss").asDouble())
                .isEqualTo(RunDirectory.readJson(dir.resolve("whole/metrics.json")).at("/train/final_loss").asDouble());

        var whole = newest("whole");
        var part = newest("part");
        assertThat(part.step()).isEqualTo(60);
        assertThat(part.state().steps()).isEqualTo(whole.state().steps()).isEqualTo(60);
        assertThat(part.state().flatten()).containsExactly(whole.state().flatten());
        Catalog catalog = Catalog.discover(null);
        var a = Models.restore(part, catalog);
        var b = Models.restore(whole, catalog);
        INDArray x = new SeededRandom(5).uniform(-8, 8, 200, 2);
        INDArray sigma = Nd4j.valueArrayOf(200, 1.7f);
        assertThat(a.score(x, sigma).data().asFloat()).containsExactly(b.score(x, sigma).data().asFloat());
    }

    @Test
    void aChangedConfigurationOrDataIsRefusedUnlessForced() throws Exception {
        assertThat(train("r", "--set", "train.steps=20").exitCode()).isZero();
        var changed = Score4jProcess.run(dir, "train", "--resume", "r", "--set", "train.steps=40",
                "--set", "optimizer.learning-rate=0.01", "--set", "data.weights=[0.5,0.5]");
        assertThat(changed.exitCode()).isEqualTo(2);
        assertThat(changed.err()).contains("cannot resume r from step 20: it was trained with another configuration or data:")
                .contains("data.weights: [0.2,0.8] → [0.5,0.5]").contains("optimizer.learning-rate: 0.001 → 0.01")
                .contains("the data: fingerprint").contains("Pass --force").doesNotContain("\tat ");
        assertThat(Checkpoints.list(dir.resolve("r"))).hasSize(1);

        var finished = Score4jProcess.run(dir, "train", "--resume", "r");
        assertThat(finished.err()).contains("r already finished its 20 steps");

        var forced = Score4jProcess.run(dir, "train", "--resume", "r", "--set", "train.steps=40",
                "--set", "optimizer.learning-rate=0.01", "--force");
        assertThat(forced.exitCode()).as(forced.all()).isZero();
        assertThat(newest("r").step()).isEqualTo(40);
    }

    @Test
    void aCorruptNewestCheckpointIsSkippedAndTheOneBeforeIsUsed() throws Exception {
        assertThat(train("c", "--set", "train.steps=40").exitCode()).isZero();
        Path last = dir.resolve("c/checkpoints/step-0000000040.safetensors");
        byte[] bytes = Files.readAllBytes(last);
        Files.write(last, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        var r = Score4jProcess.run(dir, "train", "--resume", "c", "--set", "train.steps=60");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.err()).contains("skipping an unreadable checkpoint: checkpoint c/checkpoints/step-0000000040.safetensors "
                + "cannot be read").contains("resuming c from step-0000000020.safetensors (step 20)");
        assertThat(newest("c").step()).isEqualTo(60);
    }

    @Test
    void aCheckpointOfAnotherRunSwappedInIsRefusedNamingTheDifferences() throws Exception {
        Files.writeString(dir.resolve("three.csv"), "1,2,3\n4,5,6\n7,8,9\n2,2,2\n");
        assertThat(train("three", "--set", "train.steps=20", "--set", "data.name=csv", "--set", "data.path=three.csv")
                .exitCode()).isZero();
        assertThat(train("two", "--set", "train.steps=20").exitCode()).isZero();
        assertThat(train("wide", "--set", "train.steps=20", "--set", "model.hidden=48").exitCode()).isZero();
        Files.copy(dir.resolve("three/checkpoints/step-0000000020.safetensors"),
                dir.resolve("two/checkpoints/step-0000000030.safetensors"));
        var r = Score4jProcess.run(dir, "sample", "--from", "two");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("checkpoint two/checkpoints/step-0000000030.safetensors was not trained with "
                + "two/config.conf").contains("data.name: \"mixture\" → \"csv\"").contains("Pass --force").doesNotContain("\tat ");
        Files.delete(dir.resolve("two/checkpoints/step-0000000030.safetensors"));
        Files.copy(dir.resolve("wide/checkpoints/step-0000000020.safetensors"),
                dir.resolve("two/checkpoints/step-0000000030.safetensors"));
        r = Score4jProcess.run(dir, "sample", "--from", "two");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("model.hidden: 32 → 48");
        // Forced, it samples the swapped checkpoint with the configuration it was trained with, and says which.
        r = Score4jProcess.run(dir, "sample", "--from", "two", "--force", "-o", "forced", "--set", "eval.plots=false");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(Files.readString(dir.resolve("forced/config.conf"))).contains("hidden=48");
        assertThat(RunDirectory.readJson(dir.resolve("forced/provenance.json")).path("checkpointSha256").asText())
                .isEqualTo(Checkpoints.sha256(dir.resolve("two/checkpoints/step-0000000030.safetensors")));
        // Training keys cannot change when sampling a checkpoint.
        r = Score4jProcess.run(dir, "sample", "--from", "wide", "--set", "model.hidden=16");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("these keys shape it and cannot change here").contains("model.hidden");
    }

    private Score4jProcess.Result train(String out, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("train", "-o", out));
        args.addAll(List.of(SMALL));
        args.addAll(List.of(more));
        return Score4jProcess.run(dir, args.toArray(String[]::new));
    }

    private Checkpoints.Loaded newest(String run) {
        return Checkpoints.newest(dir.resolve(run), Long.MAX_VALUE, message -> { });
    }

    private static List<String> withoutSeconds(Path log) throws Exception {
        return Files.readAllLines(log).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }
}
