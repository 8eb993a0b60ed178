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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.LearningRateSchedule;
import org.score4j.api.NonFiniteException;
import org.score4j.api.Optimizer;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.spi.ModelSpec;
import org.score4j.core.UserError;
import org.score4j.core.output.RunDirectory;

/** The runner's training state: one optimizer step, the moving average, flattening, and its checkpoint round trip. */
class TrainingStateTest {
    @TempDir
    Path dir;

    /** Plain SGD, so the expected step is arithmetic: θ ← θ − lr·scale·g. */
    private static final Optimizer SGD = new Optimizer() {
        @Override
        public List<String> stateNames() {
            return List.of("unused");
        }

        @Override
        public double learningRate() {
            return 0.5;
        }

        @Override
        public void step(INDArray parameters, INDArray gradient, double gradientScale, List<INDArray> state, long step,
                         double learningRate) {
            parameters.subi(gradient.mul(gradientScale * learningRate));
            state.get(0).addi(1);
        }
    };

    @Test
    void aStepTakesTheMeanGradientClipsItAndUpdatesTheAverage() {
        INDArray theta = Nd4j.createFromArray(1f, 2f, 3f);
        TrainingState s = TrainingState.fresh(theta, SGD, true);
        LearningRateSchedule half = (step, steps) -> step == 1 ? 1 : 0.5;
        // Summed over 2 examples: the mean gradient is (3, 4, 0), norm 5; clipped to 1, it is (0.6, 0.8, 0).
        double norm = s.apply(Nd4j.createFromArray(6f, 8f, 0f), 2, SGD, half, 10, 1, 0.9);
        assertThat(norm).isEqualTo(5.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(s.parameters().toFloatVector()).containsExactly(new float[] {0.7f, 1.6f, 3f},
                org.assertj.core.data.Offset.offset(1e-6f));
        // The average after step 1 weighs the old one by min(0.9, 2/11).
        double r = 2.0 / 11;
        assertThat(s.average().getDouble(0)).isCloseTo(r * 1 + (1 - r) * 0.7, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(s.steps()).isEqualTo(1);
        assertThat(s.optimizerState().get(0).toFloatVector()).containsExactly(1f, 1f, 1f);
        // Step 2 at half the rate, no clipping.
        s.apply(Nd4j.createFromArray(0.2f, 0f, 0f), 2, SGD, half, 10, 0, 0.9);
        assertThat(s.parameters().getDouble(0)).isCloseTo(0.7 - 0.5 * 0.5 * 0.1, org.assertj.core.data.Offset.offset(1e-6));
        assertThatThrownBy(() -> s.apply(Nd4j.createFromArray(Float.NaN, 0f, 0f), 1, SGD, half, 10, 0, 0.9))
                .isInstanceOf(NonFiniteException.class);
        assertThat(s.steps()).as("nothing changes on a non-finite gradient").isEqualTo(2);
    }

    @Test
    void flattenAndRestoreRoundTripEveryVector() {
        TrainingState s = TrainingState.fresh(new SeededRandom(1).normal(7), SGD, true);
        s.apply(new SeededRandom(2).normal(7), 1, SGD, (a, b) -> 1, 5, 0, 0.99);
        float[] flat = s.flatten();
        assertThat(flat).hasSize(21);
        TrainingState other = TrainingState.fresh(Nd4j.zeros(DataType.FLOAT, 7), SGD, true);
        other.restore(flat, s.steps());
        assertThat(other.flatten()).containsExactly(flat);
        assertThat(other.steps()).isEqualTo(1);
        assertThatThrownBy(() -> other.restore(new float[20], 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCheckpointHoldsTheWholeStateAndReadsBackIdentically() throws Exception {
        TrainingState s = TrainingState.fresh(new SeededRandom(1).normal(50), SGD, true);
        s.apply(new SeededRandom(2).normal(50), 3, SGD, (a, b) -> 1, 5, 0, 0.99);
        Properties training = new Properties();
        training.setProperty("window-loss", "0x1.8p1");
        Path file;
        try (RunDirectory run = RunDirectory.create(dir.resolve("run"), false, "test")) {
            file = Checkpoints.write(run, meta(1), s, training, 2);
            Checkpoints.write(run, meta(2), s, training, 2);
            Checkpoints.write(run, meta(3), s, training, 2);
        }
        assertThat(Checkpoints.list(dir.resolve("run"))).extracting(p -> p.getFileName().toString())
                .containsExactly("step-0000000003.safetensors", "step-0000000002.safetensors");
        assertThat(file).doesNotExist();
        Checkpoints.Loaded loaded = Checkpoints.newest(dir.resolve("run"), 1 << 20, m -> { });
        assertThat(loaded.step()).isEqualTo(3);
        assertThat(loaded.state().flatten()).containsExactly(s.flatten());
        assertThat(loaded.state().stateNames()).containsExactly("unused");
        assertThat(loaded.meta().spec().exampleShape()).containsExactly(2);
        assertThat(loaded.meta().spec().dataScale()).isEqualTo(0.1);
        assertThat(loaded.meta().modelConfig()).isEqualTo("hidden=8");
        assertThat(loaded.training().getProperty("window-loss")).isEqualTo("0x1.8p1");
        assertThat(loaded.sha256()).isEqualTo(Checkpoints.sha256(loaded.file())).hasSize(64);
        // A budget smaller than the tensors refuses the file, naming it.
        assertThatThrownBy(() -> Checkpoints.read(loaded.file(), 100)).isInstanceOf(UserError.class)
                .hasMessageContaining("over the memory budget of 100 bytes");
    }

    @Test
    void aScore4jOneCheckpointIsRefusedNamingItsFormat() throws Exception {
        Files.createDirectories(dir.resolve("old/checkpoints"));
        Files.writeString(dir.resolve("old/checkpoints/step-0000004000.zip"), "PK");
        assertThatThrownBy(() -> Checkpoints.newest(dir.resolve("old"), 1 << 20, m -> { }))
                .isInstanceOf(UserError.class).hasMessageContaining("holds only score4j 1.x checkpoints")
                .hasMessageContaining("score4j-checkpoint/2").hasMessageContaining("reading it can run code");
    }

    private static Checkpoints.Meta meta(long step) {
        return new Checkpoints.Meta("ncsn-mlp", "hidden=8", new ModelSpec(new long[] {2}, 0.1, 7), step, "hash",
                "training-hash", "seed = 1", "data", "sgd");
    }
}
