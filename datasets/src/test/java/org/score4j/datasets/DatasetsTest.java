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
        int[] modes = ((org.score4j.api.mixture.MixtureDataset) d).mixture().nearestComponents(x);
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
                .hasMessageContaining("csv.path: " + file + " line 3, column 2: 'x' is not a number");
        Files.writeString(file, "1,2\n3,4,5\n");
        assertThatThrownBy(() -> CsvPoints.read(file)).hasMessage(file + " line 2: 3 values, expected 2 as on line 1");
        Files.writeString(file, "x,y\n");
        assertThatThrownBy(() -> CsvPoints.read(file)).hasMessage(file + " has no data rows");
        assertThatThrownBy(() -> CsvPoints.read(dir.resolve("none.csv"))).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> factory("csv").create(Settings.of(factory("csv"), "")))
                .hasMessageContaining("csv.path: set it to the CSV file");
    }

    @Test
    void csvHandlesAByteOrderMarkAndRefusesOverflowAndDecimalCommas(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bom.csv");
        Files.write(file, "\uFEFF1,2\n3,4\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        CsvPoints bom = CsvPoints.read(file);
        assertThat(bom.size()).as("the first row survives the byte-order mark").isEqualTo(2);
        assertThat(bom.examples(0, 1).toFloatVector()).containsExactly(1f, 2f);
        Files.writeString(file, "1,2\n3,1e308\n");
        assertThatThrownBy(() -> CsvPoints.read(file)).hasMessage(file + " line 2, column 2: '1e308' is beyond the float "
                + "range (±3.4e38) score4j computes in");
        Files.writeString(file, "x;y\n1,5;2,5\n");
        assertThatThrownBy(() -> CsvPoints.read(file)).hasMessageContaining(file + " line 2, column 1: '1,5' has a comma "
                + "in a ';'-separated file; write decimals with '.' (e.g. 1.5)");
        Files.writeString(file, "x\ty\n1.5\t2.5\n");
        assertThat(CsvPoints.read(file).examples(0, 1).toFloatVector()).containsExactly(1.5f, 2.5f);
    }

    @Test
    void csvWithALabelColumnIsLabelled(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("l.csv");
        Files.writeString(file, "a,kind,b\n1,red,2\n3,blue,4\n5,red,6\n");
        org.score4j.api.LabelledDataset d = (org.score4j.api.LabelledDataset) CsvPoints.read(file, "kind");
        assertThat(d.exampleShape()).containsExactly(2);
        assertThat(d.classes()).isEqualTo(2);
        assertThat(d.classNames()).containsExactly("blue", "red");
        Dataset.Labelled drawn = d.sampleLabelled(100, new SeededRandom(3));
        for (int i = 0; i < 100; i++) {
            float a = drawn.examples().getFloat(i, 0);
            assertThat(drawn.labels()[i]).isEqualTo(a == 3f ? 0 : 1);
            assertThat(drawn.examples().getFloat(i, 1)).isEqualTo(a + 1);
        }
        assertThat(((org.score4j.api.LabelledDataset) CsvPoints.read(file, "2")).classes()).isEqualTo(2);
        assertThatThrownBy(() -> CsvPoints.read(file, "colour")).hasMessageContaining("has no column 'colour'");
        assertThatThrownBy(() -> CsvPoints.read(file, "7")).hasMessageContaining("label column 7 is not one of them");
    }

    @Test
    void dataFilesThatAreNotRegularFilesAreRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> CsvPoints.read(Path.of("/dev/zero"))).hasMessageContaining("/dev/zero is not a regular file");
        assertThatThrownBy(() -> CsvPoints.read(dir)).hasMessageContaining("is not a regular file");
    }
}
