package org.score4j.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Dataset;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.spi.DatasetFactory;
import org.score4j.api.spi.Settings;
import org.score4j.testkit.ComponentContract;

class DatasetsTest {
    private final DatasetsPlugin plugin = new DatasetsPlugin();

    private DatasetFactory factory(String name) {
        return plugin.datasets().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void everyPointFactoryIsWellFormed() {
        for (DatasetFactory f : plugin.datasets()) {
            // The file-based sets and the images have their own tests (ImageDataTest).
            if (!java.util.Set.of("csv", "idx", "image-folder", "digits").contains(f.name())) {
                Dataset d = ComponentContract.assertWellFormed(f);
                assertThat(d.sample(100, new SeededRandom(1)).shape()).containsExactly(100, 2);
            }
        }
    }

    @Test
    void defaultMixtureHasTheNcsnWeights() {
        Dataset d = factory("mixture").create(Settings.of(factory("mixture"), ""));
        INDArray x = d.sample(20000, new SeededRandom(2));
        int[] modes = d.mixture().orElseThrow().nearestComponents(x);
        double small = java.util.Arrays.stream(modes).filter(m -> m == 0).count() / 20000.0;
        assertThat(small).isCloseTo(0.2, offset(0.01));
    }

    @Test
    void ringsLieOnTheirRadii() {
        Dataset d = factory("rings").create(Settings.of(factory("rings"), "radii = [3], noise = 0"));
        INDArray x = d.sample(50, new SeededRandom(3));
        for (int i = 0; i < 50; i++) {
            assertThat(Math.hypot(x.getDouble(i, 0), x.getDouble(i, 1))).isCloseTo(3, offset(1e-4));
        }
    }

    @Test
    void badMixtureValuesAreReportedTogether() {
        assertThatThrownBy(() -> factory("mixture").create(Settings.of(factory("mixture"),
                "weights = [0.5, 0.6], covariances = [1, -2]")))
                .hasMessageContaining("mixture.weights: must sum to 1, got 1.1")
                .hasMessageContaining("mixture.covariances: entry 2 must be a variance > 0");
    }

    @Test
    void csvReadsPointsWithHeaderAndComments(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.csv");
        Files.writeString(file, "x,y\n# a comment\n1,2\n\n3, 4\n");
        Dataset d = factory("csv").create(Settings.of(factory("csv"), "path = \"" + file + "\""));
        assertThat(d.exampleShape()).containsExactly(2);
        INDArray x = d.sample(200, new SeededRandom(4));
        for (int i = 0; i < 200; i++) {
            assertThat(x.getDouble(i, 0)).isIn(1.0, 3.0);
            assertThat(x.getDouble(i, 1)).isEqualTo(x.getDouble(i, 0) + 1);
        }
        assertThat(d.fingerprint()).hasSize(64);
    }

    @Test
    void malformedCsvNamesFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "1,2\n3,4\n5,x\n");
        assertThatThrownBy(() -> factory("csv").create(Settings.of(factory("csv"), "path = \"" + file + "\"")))
                .hasMessageContaining("csv.path: " + file + " line 3, column 2: 'x' is not a finite number");
        Files.writeString(file, "1,2\n3,4,5\n");
        assertThatThrownBy(() -> CsvPoints.read(file)).hasMessage(file + " line 2: 3 values, expected 2 as on line 1");
        Files.writeString(file, "x,y\n");
        assertThatThrownBy(() -> CsvPoints.read(file)).hasMessage(file + " has no data rows");
        assertThatThrownBy(() -> CsvPoints.read(dir.resolve("none.csv"))).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> factory("csv").create(Settings.of(factory("csv"), "")))
                .hasMessageContaining("csv.path: set it to the CSV file");
    }
}
