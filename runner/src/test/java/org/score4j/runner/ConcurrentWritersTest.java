package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real score4j processes resuming one run: the second is refused at once, and the survivor's log has every row. */
class ConcurrentWritersTest {
    @TempDir
    Path dir;

    @Test
    void theSecondWriterIsRefusedAndNoRowIsLost() throws Exception {
        String[] small = {"--set", "model.hidden=16", "--set", "train.checkpoint-every=50", "--set", "train.log-every=50",
                "--set", "eval.plots=false", "--set", "eval.fisher-samples=100", "--set", "eval.reference-samples=500"};
        var first = Score4jProcess.run(dir, concat(new String[] {"train", "-o", "run", "--set", "train.steps=250"}, small));
        assertThat(first.exitCode()).as(first.all()).isZero();
        Files.createDirectories(dir.resolve("a"));
        Process a = Score4jProcess.start(dir.resolve("a"), "train", "--resume", "../run", "--set", "train.steps=2000");
        // The first takes the lock within its start-up; the second, started after it holds it, is refused.
        Path lock = dir.resolve("run/.score4j.lock");
        long until = System.currentTimeMillis() + 60_000;
        while (!Files.readString(lock).contains("--resume") && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        Files.createDirectories(dir.resolve("b"));
        long t0 = System.nanoTime();
        var b = Score4jProcess.run(dir.resolve("b"), "train", "--resume", "../run", "--set", "train.steps=2000");
        assertThat(b.exitCode()).as(b.all()).isEqualTo(75);
        assertThat(b.err()).contains("run directory ../run is in use by another score4j (process " + a.pid() + "@")
                .contains("score4j train --resume since");
        assertThat((System.nanoTime() - t0) / 1e9).as("refused at once, seconds").isLessThan(20);
        assertThat(a.waitFor()).as(Files.readString(dir.resolve("a/stderr.txt"))).isZero();
        List<String> log = Files.readAllLines(dir.resolve("run/train-log.csv"));
        long[] steps = log.stream().skip(1).mapToLong(l -> Long.parseLong(l.substring(0, l.indexOf(',')))).toArray();
        assertThat(steps).hasSize(40);
        for (int i = 0; i < steps.length; i++) {
            assertThat(steps[i]).as("row %d", i).isEqualTo(50L * (i + 1));
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
