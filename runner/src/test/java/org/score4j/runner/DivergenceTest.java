package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.core.training.Checkpoints;

/** A diverging run stops at the step with a message, exit code 1, and keeps its last good checkpoint. */
class DivergenceTest {
    @TempDir
    Path dir;

    @Test
    void nanLossStopsAndKeepsTheLastCheckpoint() throws Exception {
        var r = Score4jProcess.run(dir, "train", "-o", "dv", "--set", "optimizer.learning-rate=1e12",
                "--set", "train.checkpoint-every=1", "--set", "train.steps=300");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("score4j: training diverged at step 2 (objective dsm, model ncsn-mlp, optimizer adam): "
                + "the loss is NaN").contains("the last good checkpoint (step 1) is kept in dv/checkpoints")
                .doesNotContain("\tat ");
        var loaded = Checkpoints.newest(dir.resolve("dv"), Long.MAX_VALUE, message -> { });
        assertThat(loaded.step()).isEqualTo(1);
        assertThat(loaded.state().steps()).isEqualTo(1);
    }
}
