package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.core.output.RunDirectory;

/**
 * The example third-party plugin (examples/plugin-example, a Maven project of its own that the build packages before
 * this module) dropped into plugins/ and used by name in a study.
 */
class ThirdPartyPluginTest {
    private static final Path JAR = Path.of("..", "examples", "plugin-example", "target", "score4j-plugin-example-1.0.0.jar");

    @TempDir
    Path dir;

    @Test
    void theExamplePluginsJarRunsAStudyCellByName() throws Exception {
        assertThat(JAR).as("the example plugin's jar; `mvn verify` at the root builds it before runner, or build it "
                + "with mvn -f examples/plugin-example/pom.xml package").isRegularFile();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.stream().map(e -> e.getName())).as("the plugin does not bundle the API")
                    .noneMatch(n -> n.startsWith("org/score4j/")).contains("com/example/score4j/ExamplePlugin.class");
        }
        Path installed = Files.createDirectories(dir.resolve("plugins/example")).resolve(JAR.getFileName());
        Files.copy(JAR, installed);

        var listing = Score4jProcess.run(dir, "plugins");
        assertThat(listing.exitCode()).as(listing.all()).isZero();
        assertThat(listing.out()).contains("  ancestral - ancestral sampling of the VE model")
                .contains("  cosine-sigma - σ levels of the cosine schedule").contains("schedule.sigma-min = 0.01");

        Files.writeString(dir.resolve("study.conf"), """
                study {
                  base {
                    train { steps = 40, batch-size = 64, checkpoint-every = 20 }
                    model { hidden = 32, layers = 2 }
                    schedule { levels = 20 }
                    sample {
                      count = 300, batch-size = 300
                      schedule { name = cosine-sigma, sigma-max = 100, sigma-min = 0.5, levels = 30 }
                    }
                    eval { reference-samples = 500, fisher-samples = 100, projections = 20 }
                  }
                  grid { sampler.name = [ancestral, annealed-langevin] }
                  metrics = [samples.mode_weights.0, samples.sliced_wasserstein2]
                }
                """);
        var study = Score4jProcess.run(dir, "ablate", "-c", "study.conf", "-o", "out", "--plugins", "plugins");
        assertThat(study.exitCode()).as(study.all()).isZero();
        assertThat(study.out()).contains("| `ancestral` |").contains("| `annealed-langevin` |");
        try (var models = Files.list(dir.resolve("out/models"))) {
            assertThat(models.count()).as("cells that differ in the sampler share one trained model").isEqualTo(1);
        }
        Path cell = dir.resolve("out/cells/sampler.name=ancestral,seed=1");
        JsonNode provenance = RunDirectory.readJson(cell.resolve("provenance.json"));
        assertThat(provenance.at("/components/sampler/source").asText())
                .endsWith("plugins/example/score4j-plugin-example-1.0.0.jar");
        assertThat(provenance.at("/components/sample.schedule/source").asText())
                .endsWith("plugins/example/score4j-plugin-example-1.0.0.jar");
        assertThat(provenance.at("/components/sample.schedule/sha256").asText()).hasSize(64);
        JsonNode metrics = RunDirectory.readJson(cell.resolve("metrics.json"));
        assertThat(metrics.at("/samples/sampler").asText()).isEqualTo("ancestral");
        assertThat(metrics.at("/samples/count").asInt()).isEqualTo(300);
        assertThat(metrics.at("/fisher_divergence").size()).isEqualTo(20);
    }
}
