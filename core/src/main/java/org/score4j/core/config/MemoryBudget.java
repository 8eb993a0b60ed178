package org.score4j.core.config;

import java.util.Locale;

/**
 * The memory a run may plan to use, in bytes: what configuration checks, tensor files and data readers compare sizes
 * against before allocating. {@value #VARIABLE} sets it ({@code 6g}, {@code 800m} or bytes); by default it is JavaCPP's
 * limit on the process's physical memory ({@code -Dorg.bytedeco.javacpp.maxphysicalbytes}, 4 GiB in the launcher),
 * or three quarters of the machine's memory when that is unset.
 */
public final class MemoryBudget {
    public static final String VARIABLE = "SCORE4J_MEMORY_BUDGET";

    private MemoryBudget() {
    }

    /** The budget in bytes. */
    public static long bytes() {
        String v = System.getenv(VARIABLE);
        if (v == null) {
            v = System.getProperty("score4j.memory-budget");
        }
        if (v != null) {
            long parsed = parse(v);
            if (parsed > 0) {
                return parsed;
            }
        }
        long physical = org.bytedeco.javacpp.Pointer.maxPhysicalBytes();
        if (physical > 0) {
            return physical;
        }
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize() / 4 * 3;
        }
        return 4L << 30;
    }

    /** {@code 6g}, {@code 800M}, {@code 1024k} or a number of bytes; −1 if it is none of these. */
    static long parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("g") || t.endsWith("m") || t.endsWith("k")) {
            unit = t.endsWith("g") ? 1L << 30 : t.endsWith("m") ? 1L << 20 : 1L << 10;
            t = t.substring(0, t.length() - 1);
        }
        try {
            double d = Double.parseDouble(t);
            return d > 0 && d * unit < Long.MAX_VALUE ? (long) (d * unit) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Bytes as a person reads them: {@code 3.2 GiB}, {@code 512 MiB}, {@code 8.0e19 bytes}. */
    public static String describe(double bytes) {
        if (bytes >= 1L << 50) {
            return String.format(Locale.ROOT, "%.1e bytes", bytes);
        }
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.0f MiB", bytes / (1L << 20));
        }
        return String.format(Locale.ROOT, "%.0f KiB", Math.max(1, bytes / 1024));
    }
}
