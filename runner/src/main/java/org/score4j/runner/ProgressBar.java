package org.score4j.runner;

import java.io.PrintStream;
import java.util.Objects;
import org.score4j.core.RunProgress;

/**
 * The command line's progress: one bar per task (train, sample, …), redrawn in place on a terminal, one line per 10%
 * otherwise (log files and CI stay readable); notes are printed as lines.
 */
public final class ProgressBar implements RunProgress {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private String task;
    private String finished;
    private long started;
    private long lastDraw;
    private int lastDecile = -1;
    private String status = "";

    public ProgressBar(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
        this.terminal = System.console() != null && (out == System.err || out == System.out);
    }

    @Override
    public synchronized void progress(String task, long done, long total, String status) {
        long now = System.nanoTime();
        if (task.equals(finished) && done >= total) {
            return;
        }
        if (!task.equals(this.task)) {
            this.task = task;
            started = now;
            lastDecile = -1;
            this.status = "";
        }
        if (status != null) {
            this.status = status;
        }
        boolean finished = done >= total;
        if (terminal) {
            if (finished || now - lastDraw > 100_000_000L) {
                lastDraw = now;
                out.print("\r" + line(done, total, now) + (finished ? "\n" : ""));
                out.flush();
            }
        } else {
            int decile = (int) (10 * done / Math.max(1, total));
            if (decile != lastDecile) {
                lastDecile = decile;
                out.println(line(done, total, now));
            }
        }
        if (finished) {
            this.finished = task;
            this.task = null;
        } else {
            this.finished = null;
        }
    }

    @Override
    public synchronized void note(String message) {
        out.println(message);
    }

    private String line(long done, long total, long now) {
        double fraction = total == 0 ? 1 : (double) done / total;
        int filled = (int) Math.round(Math.min(1, fraction) * WIDTH);
        double seconds = (now - started) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        long eta = rate > 0 ? Math.round(Math.max(0, total - done) / rate) : 0;
        return String.format(java.util.Locale.ROOT, "%-8s [%s%s] %3d%% %d/%d %.1f/s ETA %d:%02d %s", task,
                "#".repeat(filled), "-".repeat(WIDTH - filled), Math.round(fraction * 100), done, total, rate, eta / 60,
                eta % 60, status);
    }
}
