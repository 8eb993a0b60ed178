package org.score4j.runner;

import java.io.PrintStream;
import java.util.Objects;
import org.score4j.api.ProgressListener;

/**
 * A progress bar: redrawn in place when it writes to the console, one line per 10% otherwise
 * (log files and CI stay readable).
 */
public final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;

    private final String label;
    private final PrintStream out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long lastDraw;
    private int lastDecile = -1;
    private volatile String status = "";

    public ProgressBar(String label, PrintStream out) {
        this.label = Objects.requireNonNull(label, "label");
        this.out = Objects.requireNonNull(out, "out");
        this.terminal = System.console() != null && (out == System.err || out == System.out);
    }

    /** Text shown after the counts, e.g. the current loss. */
    public void status(String text) {
        this.status = text;
    }

    @Override
    public void progress(long done, long total) {
        long now = System.nanoTime();
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
    }

    private String line(long done, long total, long now) {
        double fraction = total == 0 ? 1 : (double) done / total;
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = (now - started) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        long eta = rate > 0 ? Math.round((total - done) / rate) : 0;
        return String.format("%-8s [%s%s] %3d%% %d/%d %.1f/s ETA %d:%02d %s", label, "#".repeat(filled),
                "-".repeat(WIDTH - filled), Math.round(fraction * 100), done, total, rate, eta / 60, eta % 60, status);
    }
}
