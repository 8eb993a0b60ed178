package org.score4j.runner.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many cores other processes keep busy, measured over a short window between two of the benchmark's processes:
 * the machine's busy time in /proc/stat (steal included, the time a virtual machine's host gave to others) less this
 * process's own, as a fraction of all the cores' time, times the cores. The running count of /proc/loadavg was used
 * before; a virtual machine's kernel threads sit in it while using next to no CPU, so it called an idle machine busy.
 */
final class OtherLoad {
    static final long WINDOW_MILLIS = 300;

    private OtherLoad() {
    }

    /** Cores used by other processes over the next {@link #WINDOW_MILLIS}; -1 where /proc cannot be read. */
    static double sample() {
        try {
            long[] before = cpuTicks(Files.readString(Path.of("/proc/stat")));
            long ownBefore = ownTicks(Files.readString(Path.of("/proc/self/stat")));
            Thread.sleep(WINDOW_MILLIS);
            long[] after = cpuTicks(Files.readString(Path.of("/proc/stat")));
            long ownAfter = ownTicks(Files.readString(Path.of("/proc/self/stat")));
            return cores(before, after, ownAfter - ownBefore, Runtime.getRuntime().availableProcessors());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Cores busy with other work between two readings of {@code {busy, total}} ticks over all cores, {@code own}
     * ticks of them this process's.
     */
    static double cores(long[] before, long[] after, long own, int cpus) {
        long total = after[1] - before[1];
        if (total <= 0) {
            return -1;
        }
        return Math.max(0, (double) (after[0] - before[0] - own) / total * cpus);
    }

    /** {busy, total} ticks of all cores from /proc/stat's first line (user nice system idle iowait irq softirq steal). */
    static long[] cpuTicks(String procStat) {
        String[] f = procStat.lines().findFirst().orElseThrow().trim().split("\\s+");
        if (!f[0].equals("cpu") || f.length < 9) {
            throw new IllegalArgumentException("not /proc/stat: " + f[0]);
        }
        long busy = 0;
        long total = 0;
        for (int i = 1; i <= 8; i++) {
            long v = Long.parseLong(f[i]);
            total += v;
            if (i != 4 && i != 5) {
                busy += v;
            }
        }
        return new long[] {busy, total};
    }

    /** utime + stime of /proc/self/stat (fields 14 and 15, after the command name in parentheses). */
    static long ownTicks(String procSelfStat) {
        String[] f = procSelfStat.substring(procSelfStat.lastIndexOf(')') + 2).split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
