package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.core.output.RunDirectory;

/** A run on the embedded digits end to end (a few steps), and a broken IDX file through the command line. */
class ImageRunTest {
    @TempDir
    Path dir;

    @TempDir
    static Path cache;

    @org.junit.jupiter.api.BeforeAll
    static void cacheClassifiersInATemporaryDirectory() {
        System.setProperty("score4j.cache", cache.toString());
    }

    @org.junit.jupiter.api.AfterAll
    static void forgetTheCache() {
        System.clearProperty("score4j.cache");
    }

    @Test
    void aUnetRunOnDigitsWritesItsTrajectoryAndImageMetrics() throws Exception {
        Path out = dir.resolve("unet");
        var r = Score4jProcess.inProcess("run", "-o", out.toString(), "--set", "data.name=digits", "--set", "data.count=300",
                "--set", "data.held-out=100", "--set", "model.name=ncsn-unet", "--set", "model.channels=4",
                "--set", "model.multipliers=[1,2]", "--set", "train.steps=3", "--set", "train.batch-size=8",
                "--set", "schedule.sigma-max=10", "--set", "schedule.sigma-min=0.05", "--set", "schedule.levels=4",
                "--set", "sampler.steps-per-level=2", "--set", "sampler.step-size=1e-4",
                "--set", "sample.count=12", "--set", "sample.batch-size=12", "--set", "sample.low=0", "--set", "sample.high=1",
                "--set", "eval.reference-samples=100");
        assertThat(r.exitCode()).as(r.err()).isZero();
        // 8 chains (rows) through 4 recorded levels and the final samples (5 columns), 28×28 drawn at 3× (≥ 64 pixels).
        BufferedImage trajectory = ImageIO.read(out.resolve("trajectory.png").toFile());
        assertThat(trajectory.getWidth()).isEqualTo(5 * (84 + 2) + 2);
        assertThat(trajectory.getHeight()).isEqualTo(8 * (84 + 2) + 2);
        JsonNode images = RunDirectory.readJson(out.resolve("metrics.json")).at("/images");
        assertThat(images.at("/denoising/held_out")).hasSize(4);
        assertThat(images.at("/denoising/training")).hasSize(4);
        // Three steps from a zero output: about ½·784 at every level.
        assertThat(images.at("/denoising/held_out/0/loss").asDouble()).isBetween(300.0, 500.0);
        assertThat(images.at("/nearest_training_image/held_out_median").asDouble()).isPositive();
        assertThat(images.at("/nearest_training_image/ratio").isNumber()).isTrue();
        JsonNode classifier = images.at("/classifier");
        assertThat(classifier.at("/accuracy").asDouble()).as("the cached classifier tells held-out digits apart")
                .isGreaterThan(0.9);
        double sum = 0;
        for (JsonNode v : classifier.at("/sample_classes")) {
            sum += v.asDouble();
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        // Noise after three steps is far from digits; two sets of real digits are close.
        assertThat(classifier.at("/frechet_distance").asDouble())
                .isGreaterThan(3 * classifier.at("/frechet_distance_data_floor").asDouble());
        // The classifier is cached per data set (the other test's digits differ in their held-out count).
        assertThat(Files.list(cache).filter(f -> f.getFileName().toString().startsWith("classifier-"))).isNotEmpty();
    }

    @Test
    void aRunOnTheEmbeddedDigitsWritesSampleAndDataGrids() throws Exception {
        Path out = dir.resolve("out");
        var r = Score4jProcess.inProcess("run", "-o", out.toString(), "--set", "data.name=digits", "--set", "data.count=300",
                "--set", "train.steps=5", "--set", "train.batch-size=16", "--set", "model.hidden=32",
                "--set", "schedule.sigma-max=10", "--set", "schedule.sigma-min=0.05", "--set", "schedule.levels=4",
                "--set", "sampler.steps-per-level=3", "--set", "sampler.step-size=1e-4",
                "--set", "sample.count=16", "--set", "sample.batch-size=8", "--set", "sample.low=0", "--set", "sample.high=1",
                "--set", "eval.reference-samples=100");
        assertThat(r.exitCode()).as(r.err()).isZero();
        BufferedImage samples = ImageIO.read(out.resolve("samples.png").toFile());
        BufferedImage data = ImageIO.read(out.resolve("data.png").toFile());
        // 8 columns of 28×28 images drawn at 3× (at least 64 pixels across) with 2-pixel gaps: 16 samples are two rows, the 64 data images eight.
        assertThat(samples.getWidth()).isEqualTo(8 * (84 + 2) + 2);
        assertThat(samples.getHeight()).isEqualTo(2 * (84 + 2) + 2);
        assertThat(data.getHeight()).isEqualTo(8 * (84 + 2) + 2);
        JsonNode metrics = RunDirectory.readJson(out.resolve("metrics.json"));
        assertThat(metrics.at("/samples/count").asInt()).isEqualTo(16);
        assertThat(Files.readAllLines(out.resolve("samples.csv")).get(0).split(",")).hasSize(784);
        var resample = Score4jProcess.inProcess("sample", "--from", out.toString(), "-o", dir.resolve("again").toString());
        assertThat(resample.exitCode()).as(resample.err()).isZero();
    }

    @Test
    void aTruncatedIdxFileIsNamedBeforeAnythingRuns() throws Exception {
        Path file = dir.resolve("train-images.idx");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16 + 20);
        b.putInt(0x00000803).putInt(100).putInt(28).putInt(28);
        Files.write(file, b.array());
        var r = Score4jProcess.inProcess("train", "-o", dir.resolve("out").toString(), "--set", "data.name=idx",
                "--set", "data.images=" + file);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("data.images: " + file + " is truncated: its header announces 100 images of 28×28 "
                + "pixels (78400 bytes after the header) but it holds 20 (0 whole images)").doesNotContain("\tat ");
    }
}
