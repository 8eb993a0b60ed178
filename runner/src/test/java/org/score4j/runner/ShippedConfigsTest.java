package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.score4j.runner.cli.Workflow;
import org.score4j.runner.config.ConfigSources;
import org.score4j.runner.plugins.Catalog;
import org.score4j.runner.wiring.ResolvedRun;

/** The image configurations under configs/ resolve: every key known, the model fits the images. */
class ShippedConfigsTest {
    private static final Path CONFIGS = Path.of("..", "configs");
    private final Workflow workflow = new Workflow(Catalog.discover(null), System.out, System.err);

    @Test
    void digitsTrainsTheUnetOnTheEmbeddedDigitsWithHeldOutImages() {
        ResolvedRun run = workflow.resolve(ConfigSources.user(CONFIGS.resolve("digits.conf"), List.of()));
        assertThat(run.data().exampleShape()).containsExactly(1, 28, 28);
        assertThat(run.data().heldOut()).isPresent();
        assertThat(run.names().get(ComponentKind.MODEL)).isEqualTo("ncsn-unet");
        assertThat(run.model().build(new org.score4j.api.spi.ModelSpec(run.data().exampleShape(), 0.3,
                new org.score4j.api.spi.ModelSpec.Optimizer(1e-3, 0.9, 0.999, 1, 0.999), 1)).parameterCount())
                .isGreaterThan(100_000);
    }

    @Test
    void fashionMnistReadsDebiansFilesWithTheTestSplitHeldOut() {
        assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
                "Debian's dataset-fashion-mnist is not installed (.ci/run installs it)");
        ResolvedRun run = workflow.resolve(ConfigSources.user(CONFIGS.resolve("fashion-mnist.conf"), List.of()));
        assertThat(run.data().classes()).isEqualTo(10);
        assertThat(run.data().heldOut()).isPresent();
        assertThat(run.names().get(ComponentKind.MODEL)).isEqualTo("ncsn-unet");
    }
}
