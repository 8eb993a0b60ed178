package org.score4j.runner.bench;

import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * A benchmark process's warm-up, the same on both sides ({@code torch_peer.py} follows the same rule): at least
 * {@code times} runs and {@code seconds}, then blocks of at least {@link #BLOCK_SECONDS} until a block's rate is no more
 * than {@link #RISE} above the block before (at most {@link #MAX_SECONDS} in all); with {@code seconds} = 0 (a quick
 * check, {@code --warmup 0}, whose rates are not the steady ones) a single run. A fixed warm-up left the MLP
 * samplers, whose steps are many small native calls, still speeding up during their timed repeats (docs/speed.md,
 * "Warm-up").
 */
final class WarmUp {
    static final double BLOCK_SECONDS = 1.0;
    static final double RISE = 0.02;
    static final double MAX_SECONDS = 30;

    /** What a warm-up did: runs and seconds. */
    record Done(int runs, double seconds) {
    }

    private final DoubleSupplier clock;

    /** @param clock seconds, from any origin */
    WarmUp(DoubleSupplier clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    static WarmUp onTheSystemClock() {
        return new WarmUp(() -> System.nanoTime() / 1e9);
    }

    Done run(Runnable work, int times, double seconds) {
        Objects.requireNonNull(work, "work");
        double started = clock.getAsDouble();
        if (seconds <= 0) {
            work.run();
            return new Done(1, clock.getAsDouble() - started);
        }
        int runs = 0;
        while (runs < times || clock.getAsDouble() - started < seconds) {
            work.run();
            runs++;
        }
        double previous = -1;
        while (true) {
            double from = clock.getAsDouble();
            int inBlock = 0;
            do {
                work.run();
                inBlock++;
            } while (clock.getAsDouble() - from < BLOCK_SECONDS);
            runs += inBlock;
            double rate = inBlock / (clock.getAsDouble() - from);
            if (previous >= 0 && !rising(previous, rate) || clock.getAsDouble() - started >= MAX_SECONDS) {
                return new Done(runs, clock.getAsDouble() - started);
            }
            previous = rate;
        }
    }

    /** Whether a block at {@code rate} runs per second is still faster than one at {@code previous} by more than RISE. */
    static boolean rising(double previous, double rate) {
        return rate > previous * (1 + RISE);
    }
}
