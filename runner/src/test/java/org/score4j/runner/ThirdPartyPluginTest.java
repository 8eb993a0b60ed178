package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.core.output.RunDirectory;

/**
 * The example third-party plugin (examples/plugin-example, a Maven project of its own that the build packages before
 * this module) dropped into plugins/ and used by name: its sampler and schedule in a study, its SameDiff network
 * (resnet-mlp, on score4j-nn's base) trained by {@code score4j run} and restored from its checkpoint.
 */
class ThirdPartyPluginTest {
    private static final Path JAR = Path.of("..", "examples", "plugin-example", "target", "score4j-plugin-example-1.0.0.jar");

    @TempDir
    Path dir;

    /** Copies the example's jar into plugins/example/ of the test's directory. */
    private void install() throws Exception {
        assertThat(JAR).as("the example plugin's jar; `mvn verify` at the root builds it before runner, or build it "
                + "with mvn -f examples/plugin-example/pom.xml package").isRegularFile();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.stream().map(e -> e.getName())).as("the plugin bundles neither the API nor the engine")
                    .noneMatch(n -> n.startsWith("org/score4j/")).contains("com/example/score4j/ExamplePlugin.class");
        }
        Path installed = Files.createDirectories(dir.resolve("plugins/example")).resolve(JAR.getFileName());
        Files.copy(JAR, installed);
    }

    @Test
    void theExamplePluginsJarRunsAStudyCellByName() throws Exception {
        install();

        var listing = Score4jProcess.run(dir, "plugins");
        assertThat(listing.exitCode()).as(listing.all()).isZero();
        assertThat(listing.out()).contains("  ancestral - ancestral sampling of the VE model")
                .contains("  cosine-sigma - σ levels of the cosine schedule").contains("schedule.sigma-min = 0.01")
                .contains("  resnet-mlp - residual MLP for vectors");

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

    /**
     * resnet-mlp, a network its author wrote as a SameDiff forward computation only, trains on the NCSN mixture
     * through the real command (1200 steps, about 15–30 s on 2 cores) and annealed Langevin recovers the small mode's
     * weight 0.2 ± 0.03 with 1280 chains; {@code sample --from} restores it from its checkpoint and redraws the run's
     * first 320 chains exactly.
     */
    @Test
    void theExamplePluginsSameDiffNetworkTrainsOnTheMixtureAndRestores() throws Exception {
        install();
        var run = Score4jProcess.run(dir, "run", "-o", "resnet", "--plugins", "plugins", "--set", "model.name=resnet-mlp",
                "--set", "train.steps=1200", "--set", "train.checkpoint-every=600", "--set", "eval.plots=false",
                "--set", "eval.fisher-samples=200", "--set", "eval.reference-samples=1000");
        assertThat(run.exitCode()).as(run.all()).isZero();
        JsonNode metrics = RunDirectory.readJson(dir.resolve("resnet/metrics.json"));
        assertThat(metrics.at("/samples/count").asInt()).isEqualTo(1280);
        assertThat(metrics.at("/samples/mode_weights/0").asDouble()).isCloseTo(0.2, org.assertj.core.data.Offset
                .offset(0.03));
        JsonNode provenance = RunDirectory.readJson(dir.resolve("resnet/provenance.json"));
        assertThat(provenance.at("/components/model/name").asText()).isEqualTo("resnet-mlp");
        assertThat(provenance.at("/components/model/source").asText())
                .endsWith("plugins/example/score4j-plugin-example-1.0.0.jar");

        var again = Score4jProcess.run(dir, "sample", "--from", "resnet", "--plugins", "plugins", "-o", "again",
                "--set", "sample.count=320", "--set", "sample.batch-size=320", "--set", "eval.plots=false",
                "--set", "eval.reference-samples=500");
        assertThat(again.exitCode()).as(again.all()).isZero();
        List<String> first = Files.readAllLines(dir.resolve("resnet/samples.csv")).subList(0, 321);
        assertThat(Files.readAllLines(dir.resolve("again/samples.csv"))).as("the restored model's first 320 chains")
                .containsExactlyElementsOf(first);
    }
}
