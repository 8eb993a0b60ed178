package org.score4j.core.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.core.UserError;

class StudyDefinitionTest {
    @TempDir
    Path dir;

    private StudyDefinition read(String text, String... overrides) throws Exception {
        Path file = dir.resolve("my-study.conf");
        Files.writeString(file, text);
        return StudyDefinition.read(file, List.of(overrides));
    }

    @Test
    void cellsAreVariantsTimesTheGridInFileOrderTimesSeeds() throws Exception {
        StudyDefinition s = read("""
                study {
                  base { train.steps = 7, objective { name = ssm, projections = 2 } }
                  grid {
                    sampler.name = [langevin, annealed-langevin]
                    objective.name = [ssm, dsm]
                  }
                  variants = [{ name = a }, { name = b, set { train.batch-size = 8 } }]
                  seeds = [4, 5]
                }
                """);
        List<Cell> cells = s.cells();
        assertThat(s.name()).isEqualTo("my-study");
        assertThat(cells).hasSize(2 * 2 * 2 * 2);
        assertThat(cells.get(0).factors()).containsExactly(java.util.Map.entry("variant", "a"),
                java.util.Map.entry("sampler.name", "langevin"), java.util.Map.entry("objective.name", "ssm"));
        assertThat(cells.get(0).seed()).isEqualTo(4);
        assertThat(cells.get(1).seed()).isEqualTo(5);
        assertThat(cells.get(0).id()).isEqualTo("variant=a,sampler.name=langevin,objective.name=ssm,seed=4");
        assertThat(cells).extracting(Cell::id).doesNotHaveDuplicates();
        Cell dsm = cells.stream().filter(c -> c.factors().get("objective.name").equals("dsm")).findFirst().orElseThrow();
        // The base's ssm keys do not follow a cell that switches the objective.
        assertThat(dsm.user().hasPath("objective.projections")).isFalse();
        assertThat(dsm.user().getInt("train.steps")).isEqualTo(7);
        assertThat(dsm.user().getInt("seed")).isEqualTo(4);
        Cell ssm = cells.get(0);
        assertThat(ssm.user().getInt("objective.projections")).isEqualTo(2);
        Cell b = cells.stream().filter(c -> c.factors().get("variant").equals("b")).findFirst().orElseThrow();
        assertThat(b.user().getInt("train.batch-size")).isEqualTo(8);
        assertThat(b.label()).isEqualTo("variant=b, sampler.name=langevin, objective.name=ssm");
    }

    @Test
    void withoutSeedsTheBaseSeedIsUsed() throws Exception {
        StudyDefinition s = read("study { base { seed = 9 }, grid { objective.name = [dsm] } }");
        assertThat(s.cells()).singleElement().satisfies(c -> assertThat(c.seed()).isEqualTo(9));
        assertThat(s.metrics()).isEmpty();
    }

    @Test
    void everyMistakeIsReportedAtOnceWithItsKey() {
        assertThatThrownBy(() -> read("""
                study {
                  grid { objective.name = dsm, seed = [1, 2] }
                  variants = [{ name = a, sett { } }, { name = a }]
                  seeds = [1, x]
                  metricz = []
                  plot = nothing
                  metrics = [samples.mmd2_rbf]
                }
                extra = 1
                """)).isInstanceOf(UserError.class)
                .hasMessageContaining("study.grid.objective.name: expected a non-empty list of the values to try, got \"dsm\"")
                .hasMessageContaining("study.grid.seed: list the seeds in study.seeds")
                .hasMessageContaining("study.variants[0].sett: unknown key (did you mean 'set'?)")
                .hasMessageContaining("study.variants[1].name: 'a' names two variants")
                .hasMessageContaining("study.seeds: expected distinct whole numbers ≥ 0, got x")
                .hasMessageContaining("study.metricz: unknown key (did you mean 'metrics'?)")
                .hasMessageContaining("study.plot: 'nothing' is not one of the metrics")
                .hasMessageContaining("extra: unknown key");
    }

    @Test
    void aMissingBaseFileIsNamed() {
        assertThatThrownBy(() -> read("study { base-file = no-such.conf }"))
                .isInstanceOf(UserError.class).hasMessageContaining("study.base-file").hasMessageContaining("no-such.conf");
    }

    @Test
    void theBaseFileIsReadRelativeToTheStudyAndTheInlineBaseWins() throws Exception {
        Files.writeString(dir.resolve("run.conf"), "train { steps = 3, batch-size = 5 }");
        StudyDefinition s = read("study { base-file = run.conf, base { train.steps = 4 } }", "study.seeds=[2]");
        Cell c = s.cells().get(0);
        assertThat(c.user().getInt("train.steps")).isEqualTo(4);
        assertThat(c.user().getInt("train.batch-size")).isEqualTo(5);
        assertThat(c.seed()).isEqualTo(2);
    }

    @Test
    void metricPathsReachIntoArraysFromEitherEnd() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"samples": {"mode_weights": [0.25, 0.75], "sampler": "langevin"}}""");
        assertThat(new MetricColumn("w", "samples.mode_weights.0").in(json)).hasValue(0.25);
        assertThat(new MetricColumn("w", "samples.mode_weights.-1").in(json)).hasValue(0.75);
        assertThat(new MetricColumn("w", "samples.sampler").in(json)).isEmpty();
        assertThat(new MetricColumn("w", "samples.nothing.0").in(json)).isEmpty();
    }
}
