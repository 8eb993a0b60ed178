package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.core.training.Checkpoints;

/**
 * Kills a real {@code score4j train} process with SIGKILL at random moments (during start-up,
 * training and checkpoint writing) and checks after each kill that the newest checkpoint loads and
 * that the run resumes from it; finally lets the run finish.
 */
class CrashTest {
    private static final int KILLS = 8;
    private static final long BUDGET_MILLIS = 120_000;

    @TempDir
    Path dir;

    @Test
    void killMinusNineNeverLeavesAnUnreadableNewestCheckpoint() throws Exception {
        Random random = new Random(20261122);
        long deadline = System.currentTimeMillis() + BUDGET_MILLIS;
        Process p = Score4jProcess.start(dir, "train", "-o", "crash", "--set", "model.hidden=32",
                "--set", "train.steps=1000000", "--set", "train.checkpoint-every=5", "--set", "train.log-every=5",
                "--set", "train.keep-checkpoints=2");
        long previous = 0;
        int kills = 0;
        while (kills < KILLS && System.currentTimeMillis() < deadline) {
            if (kills == 0) {
                waitForACheckpoint(p);
            }
            // Start-up takes a few seconds: kills land in start-up, the resume, training and checkpoint writes.
            Thread.sleep(kills == 0 ? random.nextInt(1000) : 1000 + random.nextInt(4000));
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            kills++;
            int kill = kills;
            Checkpoints.Loaded newest = Checkpoints.newest(dir.resolve("crash"), Long.MAX_VALUE,
                    message -> { throw new AssertionError("after kill " + kill + ": " + message); });
            assertThat(newest.step()).as("a checkpoint never goes back").isGreaterThanOrEqualTo(previous);
            assertThat(newest.state().steps()).isEqualTo(newest.step());
            previous = newest.step();
            p = Score4jProcess.start(dir, "train", "--resume", "crash");
        }
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(kills).isGreaterThanOrEqualTo(3);

        long last = Checkpoints.newest(dir.resolve("crash"), Long.MAX_VALUE, message -> { }).step();
        var finish = Score4jProcess.run(dir, "train", "--resume", "crash", "--set", "train.steps=" + (last + 10),
                "--set", "eval.plots=false", "--set", "eval.fisher-samples=100");
        assertThat(finish.exitCode()).as(finish.all()).isZero();
        assertThat(Checkpoints.newest(dir.resolve("crash"), Long.MAX_VALUE, message -> { }).step()).isEqualTo(last + 10);
        List<String> log = Files.readAllLines(dir.resolve("crash/train-log.csv"));
        long[] steps = log.stream().skip(1).mapToLong(l -> Long.parseLong(l.substring(0, l.indexOf(',')))).toArray();
        for (int i = 0; i < steps.length; i++) {
            assertThat(steps[i]).as("log row %d", i).isEqualTo(5L * (i + 1));
        }
        assertThat(steps[steps.length - 1]).isEqualTo(last + 10);
    }

    private void waitForACheckpoint(Process p) throws InterruptedException {
        long until = System.currentTimeMillis() + 60_000;
        while (Checkpoints.list(dir.resolve("crash")).isEmpty()) {
            assertThat(p.isAlive()).as("training is running").isTrue();
            assertThat(System.currentTimeMillis()).as("a first checkpoint within a minute").isLessThan(until);
            Thread.sleep(50);
        }
    }
}
