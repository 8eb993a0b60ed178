package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.runner.output.RunDirectory;

/** A run on the embedded digits end to end (a few steps), and a broken IDX file through the command line. */
class ImageRunTest {
    @TempDir
    Path dir;

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
        // 8 columns of 28×28 images drawn at 2× with 2-pixel gaps: 16 samples are two rows, the 64 data images eight.
        assertThat(samples.getWidth()).isEqualTo(8 * (56 + 2) + 2);
        assertThat(samples.getHeight()).isEqualTo(2 * (56 + 2) + 2);
        assertThat(data.getHeight()).isEqualTo(8 * (56 + 2) + 2);
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
