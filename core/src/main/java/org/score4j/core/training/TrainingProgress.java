package org.score4j.core.training;

import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/**
 * The loss statistics a training loop accumulates, overall and per σ bin ({@link SigmaBins}): the window since the last
 * log row and the tail (the last tenth of the steps) that gives the final loss per bin. Saved in every checkpoint, as
 * exact doubles, so that a resumed run logs exactly what an uninterrupted one would.
 */
final class TrainingProgress {
    private final int levels;
    private final long tailStart;
    private final double[] windowSum;
    private final long[] windowCount;
    private final double[] tailSum;
    private final long[] tailCount;
    private double windowLoss;
    private double tailLoss;
    private long tailSteps;
    private double gradientNorm;
    private double seconds;

    TrainingProgress(int levels, long totalSteps) {
        this.levels = levels;
        this.tailStart = totalSteps - Math.max(1, totalSteps / 10);
        this.windowSum = new double[levels];
        this.windowCount = new long[levels];
        this.tailSum = new double[levels];
        this.tailCount = new long[levels];
    }

    /** Adds one step's losses: {@code perExample[i]} of an example in σ bin {@code levelOf[i]}. */
    void record(long step, double[] perExample, int[] levelOf, double mean, double gradientNorm) {
        boolean tail = step > tailStart;
        for (int i = 0; i < perExample.length; i++) {
            windowSum[levelOf[i]] += perExample[i];
            windowCount[levelOf[i]]++;
            if (tail) {
                tailSum[levelOf[i]] += perExample[i];
                tailCount[levelOf[i]]++;
            }
        }
        windowLoss += mean;
        if (tail) {
            tailLoss += mean;
            tailSteps++;
        }
        this.gradientNorm = gradientNorm;
    }

    /** The log row for the window ending at {@code step} of {@code stepsInWindow} steps; starts a new window. */
    TrainingLog.Row closeWindow(long step, long stepsInWindow, double elapsedSeconds) {
        double[] means = new double[levels];
        for (int i = 0; i < levels; i++) {
            means[i] = windowCount[i] == 0 ? Double.NaN : windowSum[i] / windowCount[i];
        }
        TrainingLog.Row row = new TrainingLog.Row(step, windowLoss / stepsInWindow, means, gradientNorm, elapsedSeconds);
        Arrays.fill(windowSum, 0);
        Arrays.fill(windowCount, 0);
        windowLoss = 0;
        return row;
    }

    double finalLoss() {
        return tailLoss / Math.max(1, tailSteps);
    }

    double[] finalLevelLoss() {
        double[] out = new double[levels];
        for (int i = 0; i < levels; i++) {
            out[i] = tailCount[i] == 0 ? Double.NaN : tailSum[i] / tailCount[i];
        }
        return out;
    }

    /** Seconds of training before this process started (nonzero after a resume). */
    double secondsBefore() {
        return seconds;
    }

    void save(Properties p, double elapsedSeconds) {
        p.setProperty("levels", Integer.toString(levels));
        p.setProperty("tail-start", Long.toString(tailStart));
        p.setProperty("window-sum", hex(windowSum));
        p.setProperty("window-count", Arrays.toString(windowCount).replaceAll("[\\[\\] ]", ""));
        p.setProperty("window-loss", Double.toHexString(windowLoss));
        p.setProperty("tail-sum", hex(tailSum));
        p.setProperty("tail-count", Arrays.toString(tailCount).replaceAll("[\\[\\] ]", ""));
        p.setProperty("tail-loss", Double.toHexString(tailLoss));
        p.setProperty("tail-steps", Long.toString(tailSteps));
        p.setProperty("gradient-norm", Double.toHexString(gradientNorm));
        p.setProperty("seconds", Double.toHexString(elapsedSeconds));
    }

    /**
     * Restores the statistics saved by {@link #save} for a run of {@code totalSteps}; when the total
     * changed, the tail starts again from the resumed step.
     *
     * @throws IllegalArgumentException if the properties are malformed or for another number of levels
     */
    static TrainingProgress restore(Properties p, int levels, long totalSteps) {
        TrainingProgress t = new TrainingProgress(levels, totalSteps);
        try {
            if (Integer.parseInt(p.getProperty("levels")) != levels) {
                throw new IllegalArgumentException("saved for " + p.getProperty("levels") + " σ bins, not " + levels);
            }
            copy(doubles(p.getProperty("window-sum")), t.windowSum);
            copy(longs(p.getProperty("window-count")), t.windowCount);
            t.windowLoss = Double.parseDouble(p.getProperty("window-loss"));
            t.gradientNorm = Double.parseDouble(p.getProperty("gradient-norm"));
            t.seconds = Double.parseDouble(p.getProperty("seconds"));
            if (Long.parseLong(p.getProperty("tail-start")) == t.tailStart) {
                copy(doubles(p.getProperty("tail-sum")), t.tailSum);
                copy(longs(p.getProperty("tail-count")), t.tailCount);
                t.tailLoss = Double.parseDouble(p.getProperty("tail-loss"));
                t.tailSteps = Long.parseLong(p.getProperty("tail-steps"));
            }
        } catch (NullPointerException | NumberFormatException e) {
            throw new IllegalArgumentException("malformed training statistics (" + e.getMessage() + ")");
        }
        return t;
    }

    private static String hex(double[] values) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            b.append(b.length() == 0 ? "" : ",").append(Double.toHexString(v));
        }
        return b.toString();
    }

    private static double[] doubles(String s) {
        return s.isEmpty() ? new double[0] : Arrays.stream(s.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private static long[] longs(String s) {
        return s.isEmpty() ? new long[0] : Arrays.stream(s.split(",")).mapToLong(Long::parseLong).toArray();
    }

    private static void copy(double[] from, double[] to) {
        check(from.length, to.length);
        System.arraycopy(from, 0, to, 0, to.length);
    }

    private static void copy(long[] from, long[] to) {
        check(from.length, to.length);
        System.arraycopy(from, 0, to, 0, to.length);
    }

    private static void check(int got, int want) {
        if (got != want) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "expected %d values per level list, got %d", want, got));
        }
    }
}
