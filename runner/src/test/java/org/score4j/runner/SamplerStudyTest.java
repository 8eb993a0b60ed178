package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.core.lib.Score4j;
import org.score4j.core.UserError;
import org.score4j.core.lib.RunBuilder;
import org.score4j.core.lib.StudyResult;

/** Samplers in studies: sampling changes never retrain, and settings a sampler cannot run are refused before training. */
class SamplerStudyTest {
    @TempDir
    Path dir;

    private static RunBuilder small() {
        return Score4j.run().set("train.steps", 200).set("model.hidden", 32).set("sample.count", 200)
                .set("eval.fisher-samples", 100).set("eval.reference-samples", 500).set("eval.plots", false)
                .set("eval.likelihood.examples", 0).set("sampler.steps-per-level", 10);
    }

    @Test
    void aStudyCrossingSamplersWithSamplingLevelsTrainsItsNetworkOnce() throws Exception {
        StudyResult table = Score4j.study("samplers-levels").base(small().sampler("annealed-langevin"))
                .vary("sampler.name", "annealed-langevin", "edm")
                .vary("sample.schedule", java.util.Map.of("name", "geometric", "sigma-max", 20, "sigma-min", 1,
                        "levels", 5), java.util.Map.of("name", "geometric", "sigma-max", 20, "sigma-min", 1, "levels", 20))
                .seeds(1).metric("small-mode weight", "samples.mode_weights.0").out(dir.resolve("study")).run();
        assertThat(table.rows()).hasSize(4).allSatisfy(r -> assertThat(r.failed()).isZero());
        try (Stream<Path> models = Files.list(dir.resolve("study/models"))) {
            assertThat(models.toList()).as("one trained network for every cell").hasSize(1);
        }
        try (Stream<Path> cells = Files.list(dir.resolve("study/cells"))) {
            assertThat(cells.toList()).hasSize(4);
        }
    }

    @Test
    void anImpossibleSamplerSettingIsRefusedBeforeTrainingInRunAndInAblate() throws Exception {
        // Annealed Langevin at ε = 5 on levels down to σ = 1 steps 5 ≥ 4σ² = 4: every chain would diverge.
        var run = Score4jProcess.inProcess(dir, "run", "-o", "bad-run", "--set", "sampler.step-size=5");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("sampler").contains("step-size 5.0 is at least 4σ_L² = 4.0");
        assertThat(dir.resolve("bad-run")).doesNotExist();

        Files.writeString(dir.resolve("study.conf"), """
                study {
                  name = bad-cell
                  base { train.steps = 200 }
                  grid { sampler.step-size = [0.1, 5] }
                }
                """);
        var ablate = Score4jProcess.inProcess(dir, "ablate", "-c", "study.conf", "-o", "bad-study");
        assertThat(ablate.exitCode()).isEqualTo(2);
        assertThat(ablate.err()).contains("nothing was run").contains("step-size 5.0 is at least 4σ_L² = 4.0")
                .contains("1 cell");
        assertThat(dir.resolve("bad-study/models")).doesNotExist();

        assertThatThrownBy(() -> small().set("sampler.step-size", 5).out(dir.resolve("api")).train())
                .isInstanceOf(UserError.class).hasMessageContaining("is at least 4σ_L²");
        assertThat(dir.resolve("api")).doesNotExist();
    }
}
