package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.score4j.core.config.ConfigSources;
import org.score4j.core.plugins.Catalog;
import org.score4j.core.app.Application;
import org.score4j.core.config.ComponentSlot;
import org.score4j.core.config.ResolvedRun;

/** The image configurations under configs/ resolve: every key known, the model fits the images. */
class ShippedConfigsTest {
    private static final Path CONFIGS = Path.of("..", "configs");
    private final Application app = new Application(Catalog.discover(null));

    @Test
    void digitsTrainsTheUnetOnTheEmbeddedDigitsWithHeldOutImages() {
        ResolvedRun run = app.resolve(ConfigSources.user(CONFIGS.resolve("digits.conf"), List.of()));
        assertThat(run.data().exampleShape()).containsExactly(1, 28, 28);
        assertThat(run.data().heldOut()).isPresent();
        assertThat(run.name(ComponentSlot.MODEL)).isEqualTo("ncsn-unet");
        assertThat(run.model().build(new org.score4j.api.spi.ModelSpec(run.data().exampleShape(), 0.3, 1)).parameterCount())
                .isGreaterThan(100_000);
    }

    @Test
    void fashionMnistReadsDebiansFilesWithTheTestSplitHeldOut() {
        assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
                "Debian's dataset-fashion-mnist is not installed (.ci/run installs it)");
        ResolvedRun run = app.resolve(ConfigSources.user(CONFIGS.resolve("fashion-mnist.conf"), List.of()));
        assertThat(((org.score4j.api.LabelledDataset) run.data()).classes()).isEqualTo(10);
        assertThat(run.data().heldOut()).isPresent();
        assertThat(run.name(ComponentSlot.MODEL)).isEqualTo("ncsn-unet");
    }
}
