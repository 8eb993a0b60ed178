package org.score4j.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.spi.ModelSpec;
import org.score4j.core.UserError;
import org.score4j.core.output.RunDirectory;

class InspectionTest {
    @TempDir
    Path dir;

    @Test
    void describesACheckpointsHeaderAndTheRunDirectorysLockWhileHeldAndAfter() throws Exception {
        Path run = dir.resolve("run");
        long pid = ProcessHandle.current().pid();
        try (RunDirectory rd = RunDirectory.create(run, false, "score4j train")) {
            TrainingState state = TrainingState.of(Nd4j.linspace(DataType.FLOAT, 1, 6, 6), List.of("m", "v"),
                    List.of(Nd4j.zeros(DataType.FLOAT, 6), Nd4j.ones(DataType.FLOAT, 6)), null, 40);
            Checkpoints.write(rd, new Checkpoints.Meta("ncsn-mlp", "name = ncsn-mlp\nhidden = 4\n",
                    new ModelSpec(new long[] {2}, 1.5, 7, 0), 40, "abc", "def", "seed = 1\n", "fp", "adam"), state,
                    new Properties(), 3);
            List<String> held = Inspection.describe(run);
            assertThat(held).anySatisfy(l -> assertThat(l).startsWith("lock").contains("held by process " + pid)
                    .contains("score4j train"));
            assertThat(held).anySatisfy(l -> assertThat(l).contains("checkpoints/step-0000000040.safetensors (step 40, "
                    + "reads back)"));
        }
        assertThat(Inspection.describe(run)).anySatisfy(l -> assertThat(l).startsWith("lock")
                .contains("free (last held by process " + pid));

        Path file = Checkpoints.list(run).get(0);
        List<String> header = Inspection.describe(file);
        assertThat(header).anySatisfy(l -> assertThat(l).isEqualTo(String.format("%-20s ", "format") + Checkpoints.FORMAT));
        assertThat(header).anySatisfy(l -> assertThat(l).isEqualTo(String.format("%-20s 40", "step")));
        assertThat(header).anySatisfy(l -> assertThat(l).isEqualTo(String.format("%-20s adam", "optimizer")));
        assertThat(header).anySatisfy(l -> assertThat(l).startsWith("config ").contains("(1 lines of text, read as data)"));
        assertThat(header).anySatisfy(l -> assertThat(l).startsWith("tensor").contains("optimizer.v").contains("F32 [6]")
                .contains("(24 bytes)"));
        assertThat(header).noneMatch(l -> l.contains("hidden = 4"));
    }

    @Test
    void refusesWhatIsNeitherAndNamesABrokenFile() throws Exception {
        assertThatThrownBy(() -> Inspection.describe(dir.resolve("absent"))).isInstanceOf(UserError.class)
                .hasMessageContaining("neither a checkpoint file nor a run directory");
        Path junk = Files.writeString(dir.resolve("step-1.safetensors"), "not a tensor file");
        assertThatThrownBy(() -> Inspection.describe(junk)).isInstanceOf(UserError.class)
                .hasMessageStartingWith("checkpoint " + junk + " cannot be read: ");
        assertThat(Inspection.describe(dir.resolve("empty-run").toFile().mkdir() ? dir.resolve("empty-run") : dir))
                .contains(String.format("%-20s none", "checkpoints"));
    }
}
