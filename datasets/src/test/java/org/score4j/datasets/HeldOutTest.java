package org.score4j.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.api.Dataset;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.spi.Settings;

class HeldOutTest {
    @TempDir
    Path dir;

    @Test
    void heldOutDigitsAreDrawnApartFromThePool() {
        ImageSet digits = StrokeDigits.create(200, 28, 0, false, 50);
        Dataset heldOut = digits.heldOut().orElseThrow();
        assertThat(heldOut.exampleShape()).containsExactly(1, 28, 28);
        assertThat(((org.score4j.api.LabelledDataset) heldOut).classes()).isEqualTo(10);
        // No held-out image is a pool image.
        ImageSet held = (ImageSet) heldOut;
        for (int i = 0; i < held.size(); i++) {
            for (int j = 0; j < digits.size(); j++) {
                assertThat(held.pixels(i)).isNotEqualTo(digits.pixels(j));
            }
        }
        assertThat(digits.fingerprint()).isNotEqualTo(StrokeDigits.create(200, 28, 0, false).fingerprint());
        assertThat(StrokeDigits.create(200, 28, 0, false, 0).heldOut()).isEmpty();
    }

    @Test
    void idxTakesAHeldOutFileOfTheSameShapeAndNamesAMismatch() throws Exception {
        Path train = idx("train.idx", 6, 4);
        Path test = idx("test.idx", 3, 4);
        Path other = idx("other.idx", 3, 5);
        var factory = new DatasetsPlugin().datasets().stream().filter(f -> f.name().equals("idx")).findFirst().orElseThrow();
        Dataset data = factory.create(Settings.of(factory, "images = \"" + train + "\", held-out-images = \"" + test + "\""));
        assertThat(data.heldOut().orElseThrow().sample(2, new SeededRandom(1)).shape()).containsExactly(2, 1, 4, 4);
        assertThatThrownBy(() -> factory.create(Settings.of(factory,
                "images = \"" + train + "\", held-out-images = \"" + other + "\"")))
                .hasMessageContaining("idx.images: " + other + " does not match " + train
                        + ": the held-out images are [1, 5, 5] but the training images [1, 4, 4]");
    }

    private Path idx(String name, int n, int size) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(16 + n * size * size);
        b.putInt(0x00000803).putInt(n).putInt(size).putInt(size);
        for (int i = 0; i < n * size * size; i++) {
            b.put((byte) (i * 7));
        }
        Path file = dir.resolve(name);
        Files.write(file, b.array());
        return file;
    }
}
