package org.score4j.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Dataset;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.spi.Settings;
import org.score4j.testkit.ComponentContract;

class ImageDataTest {
    @TempDir
    Path dir;

    /** An IDX image file of n images h×w where pixel k of image i is (i·7 + k) mod 256. */
    private static byte[] idxImages(int n, int h, int w) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * h * w);
        b.putInt(0x00000803).putInt(n).putInt(h).putInt(w);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < h * w; k++) {
                b.put((byte) ((i * 7 + k) % 256));
            }
        }
        return b.array();
    }

    private static byte[] idxLabels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(0x00000801).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        return b.array();
    }

    private static byte[] gzip(byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void aGzipBombCostsNoMoreThanItsHeaderAnnounces() throws Exception {
        // A valid header for 3 images of 4×5, then 64 MB of zeros that compress to ~64 KB: only the announced bytes
        // are decompressed.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(idxImages(3, 4, 5));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gz.write(zeros);
            }
        }
        Path bomb = Files.write(dir.resolve("bomb.idx.gz"), out.toByteArray());
        assertThat(out.size()).isLessThan(200_000);
        assertThat(IdxFiles.read(bomb, null, false).size()).isEqualTo(3);
        // A header announcing 2^31 − 1 images of 28×28 is refused before anything is decompressed or allocated.
        ByteBuffer huge = ByteBuffer.allocate(16).putInt(0x00000803).putInt(Integer.MAX_VALUE).putInt(28).putInt(28);
        Path big = Files.write(dir.resolve("huge.idx.gz"), gzip(huge.array()));
        assertThatThrownBy(() -> IdxFiles.read(big, null, false)).isInstanceOf(MalformedFileException.class)
                .hasMessageContaining("huge.idx.gz: its header announces").hasMessageContaining("more than the 1073741824 bytes");
    }

    @Test
    void anImageAnnouncingHugeDimensionsIsRefusedBeforeDecoding() throws Exception {
        Files.createDirectories(dir.resolve("bombs"));
        Files.write(dir.resolve("bombs/big.png"), pngHeader(20000, 20000));
        assertThatThrownBy(() -> ImageFolder.read(dir.resolve("bombs"), 1, false)).isInstanceOf(MalformedFileException.class)
                .hasMessageContaining("big.png is 20000×20000 pixels; images of up to 8192×8192 are read");
    }

    /** A PNG signature and IHDR chunk announcing a grey 8-bit image of w×h, then an empty IDAT and IEND. */
    private static byte[] pngHeader(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(w).putInt(h).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(b, ihdr.array());
        chunk(b, "IDAT".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        chunk(b, "IEND".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return b.array();
    }

    private static void chunk(ByteBuffer b, byte[] typeAndData) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(typeAndData);
        b.putInt(typeAndData.length - 4).put(typeAndData).putInt((int) crc.getValue());
    }

    @Test
    void idxFilesReadGzippedOrNotWithTheirLabels() throws Exception {
        Path plain = Files.write(dir.resolve("images.idx"), idxImages(3, 4, 5));
        Path zipped = Files.write(dir.resolve("images.idx.gz"), gzip(idxImages(3, 4, 5)));
        Path labels = Files.write(dir.resolve("labels.idx.gz"), gzip(idxLabels(2, 0, 1)));
        ImageSet a = IdxFiles.read(plain, null, false);
        ImageSet b = IdxFiles.read(zipped, labels, false);
        assertThat(a.exampleShape()).containsExactly(1, 4, 5);
        assertThat(a.size()).isEqualTo(3);
        assertThat(a).isNotInstanceOf(org.score4j.api.LabelledDataset.class);
        assertThat(((org.score4j.api.LabelledDataset) b).classes()).isEqualTo(3);
        assertThat(b.label(0)).isEqualTo(2);
        assertThat(a.pixels(2)[3]).isEqualTo((2 * 7 + 3) / 255f);
        assertThat(a.pixels(1)).containsExactly(b.pixels(1));
        Dataset.Labelled drawn = ((org.score4j.api.LabelledDataset) b).sampleLabelled(50, new SeededRandom(1));
        assertThat(drawn.examples().shape()).containsExactly(50, 1, 4, 5);
        for (int i = 0; i < 50; i++) {
            // the label travels with its image: image i starts with pixel (7i mod 256)/255 and has label (2, 0, 1)[i]
            int image = Math.round(drawn.examples().getFloat(i, 0, 0, 0) * 255) / 7;
            assertThat(drawn.labels()[i]).isEqualTo(new int[] {2, 0, 1}[image]);
        }
    }

    @Test
    void dequantisedPixelsFillTheirBinAndStayInTheUnitInterval() throws Exception {
        ImageSet set = IdxFiles.read(Files.write(dir.resolve("i.idx"), idxImages(1, 16, 16)), null, true);
        INDArray x = set.sample(200, new SeededRandom(3));
        float[] v = x.data().asFloat();
        float[] p = set.pixels(0);
        for (int i = 0; i < v.length; i++) {
            int pixel = Math.round(p[i % p.length] * 255);
            assertThat(v[i]).isBetween(pixel / 256f, (pixel + 1) / 256f);
        }
        assertThat(x.getFloat(0, 0, 0, 0)).isNotEqualTo(x.getFloat(1, 0, 0, 0));
    }

    @Test
    void brokenIdxFilesAreNamedWithWhatIsWrong() throws Exception {
        byte[] full = idxImages(10, 4, 4);
        Path truncated = Files.write(dir.resolve("truncated.idx"), java.util.Arrays.copyOf(full, 16 + 3 * 16 + 5));
        assertThatThrownBy(() -> IdxFiles.read(truncated, null, true)).isInstanceOf(MalformedFileException.class)
                .hasMessage(truncated + " is truncated: its header announces 10 images of 4×4 pixels (160 bytes after the "
                        + "header) but it holds 53 (3 whole images)");
        Path labels = Files.write(dir.resolve("labels.idx"), idxLabels(1, 2));
        assertThatThrownBy(() -> IdxFiles.read(labels, null, true))
                .hasMessageContaining(labels + " is not an IDX image file: it starts with 0x00000801, expected 0x00000803 "
                        + "(this is a label file)");
        Path images = Files.write(dir.resolve("images.idx"), full);
        assertThatThrownBy(() -> IdxFiles.read(images, labels, true))
                .hasMessage(labels + " holds 2 labels but " + images + " holds 10 images");
        Path gz = Files.write(dir.resolve("damaged.gz"), java.util.Arrays.copyOf(gzip(full), 30));
        assertThatThrownBy(() -> IdxFiles.read(gz, null, true)).hasMessageContaining(gz + " is a damaged gzip file");
        Path tiny = Files.write(dir.resolve("tiny.idx"), new byte[] {0, 0, 8});
        assertThatThrownBy(() -> IdxFiles.read(tiny, null, true)).hasMessageContaining(tiny + " is truncated: 3 bytes, "
                + "shorter than the 16-byte header");
        assertThatThrownBy(() -> IdxFiles.read(dir.resolve("missing.idx"), null, true))
                .hasMessage("file " + dir.resolve("missing.idx") + " does not exist");
    }

    private void png(Path file, int w, int h, int grey) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (grey << 16) | (grey << 8) | grey);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void aFolderOfImagesWithClassSubFolders() throws Exception {
        png(dir.resolve("set/cats/a.png"), 6, 5, 10);
        png(dir.resolve("set/cats/b.png"), 6, 5, 20);
        png(dir.resolve("set/dogs/c.png"), 6, 5, 200);
        ImageSet grey = ImageFolder.read(dir.resolve("set"), 1, false);
        assertThat(grey.exampleShape()).containsExactly(1, 5, 6);
        assertThat(((org.score4j.api.LabelledDataset) grey).classes()).isEqualTo(2);
        assertThat(grey.label(2)).isEqualTo(1);
        assertThat(grey.pixels(2)[7]).isEqualTo(200 / 255f);
        ImageSet rgb = ImageFolder.read(dir.resolve("set"), 3, false);
        assertThat(rgb.exampleShape()).containsExactly(3, 5, 6);
        assertThat(rgb.fingerprint()).isNotEqualTo(grey.fingerprint());
    }

    @Test
    void aBrokenFolderNamesTheFile() throws Exception {
        png(dir.resolve("f/a.png"), 6, 5, 10);
        png(dir.resolve("f/b.png"), 7, 5, 10);
        assertThatThrownBy(() -> ImageFolder.read(dir.resolve("f"), 1, true)).isInstanceOf(MalformedFileException.class)
                .hasMessage(dir.resolve("f/b.png") + " is 7×5 pixels but " + dir.resolve("f/a.png") + " is 6×5; all images "
                        + "must have one size");
        Files.delete(dir.resolve("f/b.png"));
        Files.writeString(dir.resolve("f/c.png"), "not an image");
        assertThatThrownBy(() -> ImageFolder.read(dir.resolve("f"), 1, true))
                .hasMessageContaining(dir.resolve("f/c.png").toString());
        Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> ImageFolder.read(dir.resolve("empty"), 1, true))
                .hasMessage("image folder " + dir.resolve("empty") + " holds no .png, .jpg or .jpeg files");
    }

    @Test
    void strokeDigitsAreDeterministicLabelledAndDistinctPerClass() {
        ImageSet a = StrokeDigits.create(500, 28, 0, false);
        ImageSet b = StrokeDigits.create(500, 28, 0, false);
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
        assertThat(a.pixels(17)).containsExactly(b.pixels(17));
        assertThat(((org.score4j.api.LabelledDataset) a).classes()).isEqualTo(10);
        assertThat(a.examples(17, 18).reshape(28 * 28).toFloatVector()).containsExactly(a.pixels(17));
        double[][] mean = new double[10][28 * 28];
        int[] count = new int[10];
        for (int i = 0; i < a.size(); i++) {
            float[] p = a.pixels(i);
            count[a.label(i)]++;
            double ink = 0;
            for (int k = 0; k < p.length; k++) {
                mean[a.label(i)][k] += p[k];
                ink += p[k];
            }
            assertThat(ink).as("ink of image %d", i).isBetween(30.0, 300.0);
        }
        for (int c : count) {
            assertThat(c).isGreaterThan(25);
        }
        // The class means differ: a "1" is a vertical bar, a "0" a ring, so their mean images are far apart.
        double d01 = 0;
        double d11 = 0;
        ImageSet c = StrokeDigits.create(500, 28, 9, false);
        double[] ones = new double[28 * 28];
        int n1 = 0;
        for (int i = 0; i < c.size(); i++) {
            if (c.label(i) == 1) {
                n1++;
                float[] p = c.pixels(i);
                for (int k = 0; k < p.length; k++) {
                    ones[k] += p[k];
                }
            }
        }
        for (int k = 0; k < 28 * 28; k++) {
            double m0 = mean[0][k] / count[0];
            double m1 = mean[1][k] / count[1];
            d01 += (m0 - m1) * (m0 - m1);
            d11 += (m1 - ones[k] / n1) * (m1 - ones[k] / n1);
        }
        assertThat(d11).as("two pools' mean '1'").isLessThan(d01 / 10);
    }

    @Test
    void theFactoriesAreWellFormedAndNameBadFiles() throws Exception {
        DatasetsPlugin plugin = new DatasetsPlugin();
        var digits = plugin.datasets().stream().filter(f -> f.name().equals("digits")).findFirst().orElseThrow();
        var idx = plugin.datasets().stream().filter(f -> f.name().equals("idx")).findFirst().orElseThrow();
        var folder = plugin.datasets().stream().filter(f -> f.name().equals("image-folder")).findFirst().orElseThrow();
        assertThat(ComponentContract.assertWellFormed(digits, "count = 100").exampleShape()).containsExactly(1, 28, 28);
        Path images = Files.write(dir.resolve("ok.idx"), idxImages(3, 4, 4));
        ComponentContract.assertWellFormed(idx, "images = \"" + images + "\"");
        png(dir.resolve("pics/a.png"), 3, 3, 1);
        ComponentContract.assertWellFormed(folder, "path = \"" + dir.resolve("pics") + "\"");
        Path bad = Files.write(dir.resolve("bad.idx"), java.util.Arrays.copyOf(idxImages(3, 4, 4), 20));
        assertThatThrownBy(() -> idx.create(Settings.of(idx, "images = \"" + bad + "\"")))
                .hasMessageContaining("idx.images: " + bad + " is truncated");
        assertThatThrownBy(() -> folder.create(Settings.of(folder, "path = \"" + dir.resolve("pics") + "\", channels = 2")))
                .hasMessageContaining("image-folder.channels: expected 1 (grey) or 3 (RGB), got 2");
    }
}
