package org.score4j.runner.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's table: per workload, the median rates of both sides, their ratio, FLOP/s and memory. */
final class BenchReport {
    private BenchReport() {
    }

    /** One workload's figures; {@code torch} is null when the peer did not run. */
    record Row(Workload workload, Map<String, Object> score4j, Map<String, Object> torch, String torchProblem) {
    }

    static String markdown(List<Row> rows, String header) {
        StringBuilder b = new StringBuilder(header);
        b.append("\n| workload | unit | score4j | PyTorch | score4j / PyTorch | GFLOP/s score4j / PyTorch "
                + "| peak RSS MiB score4j (JVM baseline) | peak RSS MiB PyTorch (baseline) |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            double s = median(rates(r.score4j()));
            Double t = r.torch() == null ? null : median(rates(r.torch()));
            Number flops = (Number) r.score4j().get("flops_per_item");
            b.append("| ").append(r.workload().name())
                    .append(" | ").append(r.workload().task() == Workload.Task.TRAIN ? "examples/s" : "score evals/s")
                    .append(" | ").append(rate(s))
                    .append(" | ").append(t == null ? "—" : rate(t))
                    .append(" | ").append(t == null ? "—" : String.format(Locale.ROOT, "**%.2f×**", s / t))
                    .append(" | ").append(flops == null ? "—" : gflops(s, flops) + " / "
                            + (t == null ? "—" : gflops(t, flops)))
                    .append(" | ").append(memory(r.score4j()))
                    .append(" | ").append(r.torch() == null ? "—" : memory(r.torch()))
                    .append(" |\n");
        }
        for (Row r : rows) {
            if (r.torchProblem() != null) {
                b.append("\n").append(r.workload().name()).append(": PyTorch peer not run: ").append(r.torchProblem());
            }
        }
        return b.toString();
    }

    static List<Double> rates(Map<String, Object> result) {
        List<Double> out = new ArrayList<>();
        for (Object o : (Collection<?>) result.get("rates")) {
            out.add(((Number) o).doubleValue());
        }
        return out;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String rate(double perSecond) {
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", perSecond / 1e6);
        }
        if (perSecond >= 1e3) {
            // At least three significant digits: "1.01 k", not "1.0 k".
            return String.format(Locale.ROOT, perSecond >= 1e4 ? "%.1f k" : "%.2f k", perSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    private static String gflops(double rate, Number flopsPerItem) {
        return String.format(Locale.ROOT, "%.1f", rate * flopsPerItem.doubleValue() / 1e9);
    }

    private static String memory(Map<String, Object> result) {
        long peak = ((Number) result.get("peak_rss_kib")).longValue();
        long base = ((Number) result.get("baseline_rss_kib")).longValue();
        return peak < 0 ? "—" : String.format(Locale.ROOT, "%d (%d)", peak / 1024, base / 1024);
    }
}
