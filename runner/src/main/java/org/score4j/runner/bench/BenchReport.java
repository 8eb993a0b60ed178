package org.score4j.runner.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.score4j.core.output.Provenance;

/**
 * The benchmark's tables: per thread count and workload, the per-round ratios score4j / PyTorch with their median and
 * range, each side's rate, arithmetic rate and fraction of its own measured sgemm peak, and memory.
 *
 * <p>A round pairs one score4j process with the PyTorch process that ran right after it; each process's rate is the
 * median of its timed repeats. The ratio is computed per round, never from the two sides' medians over rounds, so
 * that a round's slow machine divides out. A workload's target is met when the median ratio reaches it; a range that
 * crosses the target is flagged, since then the verdict depends on the rounds drawn.
 */
public final class BenchReport {
    private BenchReport() {
    }

    /** One round of one workload at one thread count; {@code torch} is null when the peer did not run. */
    public record Round(int round, Map<String, Object> score4j, Map<String, Object> torch, String torchProblem) {
        /** score4j's rate in this round: the median of its process's repeats. */
        public double score4jRate() {
            return median(rates(score4j));
        }

        /** PyTorch's rate in this round, or null. */
        public Double torchRate() {
            return torch == null ? null : median(rates(torch));
        }

        /** score4j / PyTorch in this round, or null without the peer. */
        public Double ratio() {
            Double t = torchRate();
            return t == null || !(t > 0) ? null : score4jRate() / t;
        }
    }

    /** The rounds of one workload at one thread count. */
    public record Cell(Workload workload, List<Round> rounds) {
        /** The rounds' ratios, in round order (rounds without the peer left out). */
        public List<Double> ratios() {
            return rounds.stream().map(Round::ratio).filter(Objects::nonNull).toList();
        }

        /** Where the ratios stand against the workload's target. */
        public Verdict verdict() {
            List<Double> r = ratios();
            if (r.isEmpty()) {
                return Verdict.NOT_MEASURED;
            }
            double median = median(r);
            double min = r.stream().mapToDouble(d -> d).min().orElseThrow();
            double max = r.stream().mapToDouble(d -> d).max().orElseThrow();
            double target = workload.target();
            if (min >= target) {
                return Verdict.MET;
            }
            if (median >= target) {
                return Verdict.MET_RANGE_CROSSES;
            }
            return max >= target ? Verdict.NOT_MET_RANGE_CROSSES : Verdict.NOT_MET;
        }

        double score4jRate() {
            return median(rounds.stream().map(Round::score4jRate).toList());
        }

        Double torchRate() {
            List<Double> t = rounds.stream().map(Round::torchRate).filter(Objects::nonNull).toList();
            return t.isEmpty() ? null : median(t);
        }
    }

    /** A workload's median ratio against its target. */
    public enum Verdict {
        MET("met"),
        MET_RANGE_CROSSES("met by the median, **range crosses**"),
        NOT_MET_RANGE_CROSSES("**not met**, range crosses"),
        NOT_MET("**not met**"),
        NOT_MEASURED("—");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** One thread count's workloads. */
    public record Table(int threads, List<Cell> cells) {
    }

    /** A whole benchmark run. */
    public record Run(List<Table> tables, int rounds, int repeats, double warmupSeconds, String torchVersion,
                      String torchProblem, Map<String, Object> cpu, String loadBefore, String loadAfter,
                      List<Double> otherCores, double seconds) {
        /** The median of the cores other processes used, measured before each process ({@link OtherLoad}), or -1. */
        public double busy() {
            List<Double> known = otherCores.stream().filter(c -> c >= 0).toList();
            return known.isEmpty() ? -1 : median(known);
        }
    }

    /** Other processes' median use, in cores, from which a run's header says the machine was busy. */
    static final double BUSY_CORES = 0.2;

    static String markdown(Run run) {
        StringBuilder b = new StringBuilder(header(run));
        for (Table t : run.tables()) {
            b.append(tableHeader(run, t));
            b.append("\n| workload | unit | score4j | PyTorch | score4j / PyTorch: median (range) | target "
                    + "| GFLOP/s score4j / PyTorch | % of sgemm peak score4j / PyTorch "
                    + "| peak RSS MiB score4j (JVM baseline) | peak RSS MiB PyTorch (baseline) | memory |\n");
            b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
            Peaks peaks = peaks(t);
            for (Cell c : t.cells()) {
                double s = c.score4jRate();
                Double p = c.torchRate();
                List<Double> ratios = c.ratios();
                Number flops = (Number) c.rounds().get(0).score4j().get("flops_per_item");
                b.append("| ").append(c.workload().name())
                        .append(" | ").append(c.workload().task() == Workload.Task.TRAIN ? "examples/s" : "score evals/s")
                        .append(" | ").append(rate(s))
                        .append(" | ").append(p == null ? "—" : rate(p))
                        .append(" | ").append(ratios.isEmpty() ? "—" : String.format(Locale.ROOT,
                                "**%.2f×** (%.2f–%.2f)", median(ratios), min(ratios), max(ratios)))
                        .append(" | ").append(String.format(Locale.ROOT, "≥ %.1f×: %s", c.workload().target(),
                                c.verdict().text()))
                        .append(" | ").append(flops == null ? "—" : gflops(s, flops) + " / "
                                + (p == null ? "—" : gflops(p, flops)))
                        .append(" | ").append(flops == null ? "—" : percent(s, flops, peaks.score4j()) + " / "
                                + (p == null ? "—" : percent(p, flops, peaks.torch())))
                        .append(" | ").append(memory(c, Round::score4j))
                        .append(" | ").append(p == null ? "—" : memory(c, Round::torch))
                        .append(" | ").append(p == null ? "—" : memoryVerdict(c))
                        .append(" |\n");
            }
            b.append("\nPer-round ratios (score4j / PyTorch, in round order):\n\n");
            for (Cell c : t.cells()) {
                b.append("- ").append(c.workload().name()).append(": ");
                List<String> each = new ArrayList<>();
                for (Round r : c.rounds()) {
                    each.add(r.ratio() == null ? "—" : String.format(Locale.ROOT, "%.2f", r.ratio()));
                }
                b.append(String.join(", ", each)).append('\n');
            }
        }
        for (Table t : run.tables()) {
            for (Cell c : t.cells()) {
                c.rounds().stream().map(Round::torchProblem).filter(Objects::nonNull).findFirst().ifPresent(problem ->
                        b.append("\n").append(c.workload().name()).append(" (").append(t.threads())
                                .append(" threads): PyTorch peer not run: ").append(problem));
            }
        }
        return b.toString();
    }

    private static String header(Run run) {
        StringBuilder b = new StringBuilder();
        Map<String, Object> cpu = run.cpu();
        Provenance.Build build = Provenance.currentBuild();
        b.append(String.format(Locale.ROOT, "score4j bench: %s, %s logical CPUs; flags: %s%n%n",
                BenchSystem.cpuName(cpu), cpu.get("processors"), BenchSystem.flags(cpu)));
        String warmUp = run.warmupSeconds() > 0
                ? String.format(Locale.ROOT, "warms up (≥ %.0f s and the workload's least runs, then until its rate "
                        + "stops rising, ≤ %.0f s)", run.warmupSeconds(), WarmUp.MAX_SECONDS)
                : "runs once to warm up (`--warmup 0`: a quick check, not the steady rates)";
        b.append(String.format(Locale.ROOT, "- %d interleaved round%s per workload and thread count: score4j, then "
                        + "PyTorch, each a fresh process; each process %s and times %d repeat%s, its rate is their "
                        + "median; a round's ratio is score4j's rate over PyTorch's in that round%n",
                run.rounds(), run.rounds() == 1 ? "" : "s", warmUp, run.repeats(), run.repeats() == 1 ? "" : "s"));
        b.append(String.format(Locale.ROOT, "- score4j %s (commit %s) on DL4J %s; load average %s at the start, %s "
                        + "at the end; %.0f s in all%n", build.score4j(), build.gitCommit() == null ? "?"
                        : build.gitCommit().substring(0, Math.min(10, build.gitCommit().length())), build.deeplearning4j(),
                run.loadBefore(), run.loadAfter(), run.seconds()));
        if (run.busy() >= 0) {
            b.append(String.format(Locale.ROOT, "- cores used by other processes, measured for %.1f s before each of the "
                            + "benchmark's processes: median %.2f, at most %.2f%n", OtherLoad.WINDOW_MILLIS / 1e3,
                    run.busy(), run.otherCores().stream().mapToDouble(c -> c).max().orElse(0)));
        }

        Map<String, Object> s = firstSystem(run, Round::score4j);
        if (s != null) {
            b.append(String.format(Locale.ROOT, "- score4j side: %s; BLAS %s (%s, core %s; %s); oneDNN %s (ISA %s); "
                            + "vector API %s; environment: %s%n", text(s, "java"), text(s, "blas_vendor"),
                    fileName(s.get("blas_library")), text(s, "openblas_core"), text(s, "openblas_config"),
                    text(s, "onednn"), text(s, "onednn_isa"), Boolean.TRUE.equals(s.get("vector_api")) ? "on" : "off",
                    environment(s.get("env"))));
        }
        Map<String, Object> p = firstSystem(run, Round::torch);
        if (p != null) {
            b.append(String.format(Locale.ROOT, "- PyTorch side: PyTorch %s (%s), Python %s; BLAS %s (core %s; %s); "
                            + "environment: %s%n", run.torchVersion(), text(p, "cpu_capability"), text(p, "python"),
                    text(p, "blas_library"), text(p, "openblas_core"), text(p, "openblas_config"),
                    environment(p.get("env"))));
        } else if (run.torchProblem() != null) {
            b.append("- PyTorch side: not run: ").append(run.torchProblem()).append('\n');
        }
        if (run.busy() >= BUSY_CORES) {
            b.append("\n**The machine was busy during this run.** With its cores shared, PyTorch's OpenMP threads wait "
                    + "far longer for one another than score4j's, so ratios measured now, above all with more than one "
                    + "thread, flatter score4j; rerun on a quiet machine.\n");
        }
        return b.toString();
    }

    private static String tableHeader(Run run, Table t) {
        Peaks peaks = peaks(t);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%n**%d native thread%s** on both sides. 1024³ sgemm (median over this "
                        + "table's processes): score4j %s GFLOP/s (OpenBLAS %s, oneDNN %s), PyTorch %s GFLOP/s.%n",
                t.threads(), t.threads() == 1 ? "" : "s", gf(peaks.score4j()), gf(peaks.openBlas()), gf(peaks.oneDnn()),
                gf(peaks.torch())));
        return b.toString();
    }

    private static String gf(Double flops) {
        return flops == null ? "—" : String.format(Locale.ROOT, "%.0f", flops / 1e9);
    }

    /**
     * Each side's 1024³ sgemm rate in one table, the median over its processes: score4j's the better of ND4J's OpenBLAS
     * and oneDNN (its layers run on oneDNN), PyTorch's its BLAS.
     */
    record Peaks(Double score4j, Double openBlas, Double oneDnn, Double torch) {
    }

    static Peaks peaks(Table t) {
        List<Double> best = new ArrayList<>();
        List<Double> openBlas = new ArrayList<>();
        List<Double> oneDnn = new ArrayList<>();
        List<Double> torch = new ArrayList<>();
        for (Cell c : t.cells()) {
            for (Round r : c.rounds()) {
                Double o = number(r.score4j().get("matmul_flops"));
                Double d = number(r.score4j().get("onednn_matmul_flops"));
                if (o != null) {
                    openBlas.add(o);
                }
                if (d != null) {
                    oneDnn.add(d);
                }
                if (o != null || d != null) {
                    best.add(Math.max(o == null ? 0 : o, d == null ? 0 : d));
                }
                if (r.torch() != null && number(r.torch().get("matmul_flops")) != null) {
                    torch.add(number(r.torch().get("matmul_flops")));
                }
            }
        }
        return new Peaks(orNull(best), orNull(openBlas), orNull(oneDnn), orNull(torch));
    }

    private static Double orNull(List<Double> values) {
        return values.isEmpty() ? null : median(values);
    }

    private static Double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstSystem(Run run, Function<Round, Map<String, Object>> side) {
        for (Table t : run.tables()) {
            for (Cell c : t.cells()) {
                for (Round r : c.rounds()) {
                    Map<String, Object> m = side.apply(r);
                    if (m != null && m.get("system") instanceof Map<?, ?> s) {
                        return (Map<String, Object>) s;
                    }
                }
            }
        }
        return null;
    }

    private static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "?" : v.toString();
    }

    private static String fileName(Object path) {
        String p = String.valueOf(path);
        return p.substring(p.lastIndexOf('/') + 1);
    }

    private static String environment(Object env) {
        if (!(env instanceof Map<?, ?> m) || m.isEmpty()) {
            return "no BLAS or OpenMP variables set";
        }
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add("`" + k + "=" + v + "`"));
        return String.join(" ", parts);
    }

    static Map<String, Object> json(Run run) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cpu", run.cpu());
        json.put("rounds", run.rounds());
        json.put("repeats", run.repeats());
        json.put("warmup_seconds", run.warmupSeconds());
        json.put("pytorch_version", run.torchVersion());
        json.put("load_average_before", run.loadBefore());
        json.put("load_average_after", run.loadAfter());
        json.put("other_cores", run.otherCores());
        json.put("seconds", run.seconds());
        List<Object> tables = new ArrayList<>();
        for (Table t : run.tables()) {
            Map<String, Object> table = new LinkedHashMap<>();
            Peaks peaks = peaks(t);
            table.put("threads", t.threads());
            table.put("sgemm_flops", Map.of("score4j", peaks.score4j() == null ? "—" : peaks.score4j(),
                    "pytorch", peaks.torch() == null ? "—" : peaks.torch()));
            List<Object> workloads = new ArrayList<>();
            for (Cell c : t.cells()) {
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("workload", c.workload().name());
                w.put("description", c.workload().description());
                w.put("target", c.workload().target());
                List<Double> ratios = c.ratios();
                w.put("ratios", ratios);
                w.put("ratio_median", ratios.isEmpty() ? null : median(ratios));
                w.put("ratio_min", ratios.isEmpty() ? null : min(ratios));
                w.put("ratio_max", ratios.isEmpty() ? null : max(ratios));
                w.put("verdict", c.verdict().name());
                w.put("score4j_rate", c.score4jRate());
                w.put("pytorch_rate", c.torchRate());
                List<Object> rounds = new ArrayList<>();
                for (Round r : c.rounds()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("round", r.round());
                    m.put("score4j_rate", r.score4jRate());
                    m.put("pytorch_rate", r.torchRate());
                    m.put("ratio", r.ratio());
                    m.put("score4j", r.score4j());
                    m.put("pytorch", r.torch());
                    m.put("pytorch_problem", r.torchProblem());
                    rounds.add(m);
                }
                w.put("rounds", rounds);
                workloads.add(w);
            }
            table.put("workloads", workloads);
            tables.add(table);
        }
        json.put("tables", tables);
        json.put("markdown", markdown(run));
        return json;
    }

    static List<Double> rates(Map<String, Object> result) {
        List<Double> out = new ArrayList<>();
        for (Object o : (Collection<?>) result.get("rates")) {
            out.add(((Number) o).doubleValue());
        }
        return out;
    }

    /** The median: the middle value, or the mean of the two middle values of an even count. */
    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(d -> d).min().orElseThrow();
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(d -> d).max().orElseThrow();
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

    private static String percent(double rate, Number flopsPerItem, Double peak) {
        return peak == null || !(peak > 0) ? "—"
                : String.format(Locale.ROOT, "%.0f %%", 100 * rate * flopsPerItem.doubleValue() / peak);
    }

    /** The highest peak over the rounds, with the median baseline. */
    private static String memory(Cell c, Function<Round, Map<String, Object>> side) {
        long[] m = peakAndBaseline(c, side);
        return m == null ? "—" : String.format(Locale.ROOT, "%d (%d)", m[0] / 1024, m[1] / 1024);
    }

    private static long[] peakAndBaseline(Cell c, Function<Round, Map<String, Object>> side) {
        long peak = -1;
        List<Double> baselines = new ArrayList<>();
        for (Round r : c.rounds()) {
            Map<String, Object> m = side.apply(r);
            if (m == null) {
                continue;
            }
            peak = Math.max(peak, ((Number) m.get("peak_rss_kib")).longValue());
            baselines.add(((Number) m.get("baseline_rss_kib")).doubleValue());
        }
        return peak < 0 ? null : new long[] {peak, (long) median(baselines)};
    }

    /** Whether score4j's peak is within PyTorch's peak plus the JVM's baseline (the target of issue 30). */
    private static String memoryVerdict(Cell c) {
        long[] s = peakAndBaseline(c, Round::score4j);
        long[] t = peakAndBaseline(c, Round::torch);
        if (s == null || t == null) {
            return "—";
        }
        return s[0] <= t[0] + s[1] ? "within" : "**over** PyTorch's + the JVM's";
    }
}
