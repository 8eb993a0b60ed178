package org.score4j.core.plots;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class PlotsTest {
    @TempDir
    Path dir;

    @Test
    void smallImagesAreScaledUpSoAGridIsReadable() throws Exception {
        Path file = dir.resolve("grid.png");
        Plots.imageGrid(file, Nd4j.rand(DataType.FLOAT, 16, 1, 8, 8), 8, 2);
        BufferedImage img = ImageIO.read(file.toFile());
        // 8 columns of 8×8 images, each scaled by at least 4 (here 8: 64 pixels), with 2-pixel gaps.
        assertThat(img.getWidth()).isGreaterThanOrEqualTo(8 * 8 * 4).isEqualTo(8 * (64 + 2) + 2);
        assertThat(img.getHeight()).isEqualTo(2 * (64 + 2) + 2);
        assertThat(Plots.zoom(16, 16, 2)).isEqualTo(4);
        assertThat(Plots.zoom(28, 28, 2)).isEqualTo(3);
        assertThat(Plots.zoom(128, 128, 2)).isEqualTo(2);
    }
}
