package org.score4j.core.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * The results of a study as tables: one row per cell ({@code study.csv}) and one row per combination with each
 * metric's mean ± standard deviation over the seeds ({@code summary.csv}, {@code summary.md}).
 */
public final class StudyTable {
    /** One row of the summary: the cells that differ only in their seed. */
    public record Row(String label, Map<String, String> factors, List<CellOutcome> cells, double[] mean,
                      double[] std, double[][] values) {
        public long failed() {
            return cells.stream().filter(o -> o.status() == CellOutcome.Status.FAILED).count();
        }
    }

    private final StudyDefinition study;
    private final List<CellOutcome> outcomes;
    private final List<MetricColumn> columns;
    private final List<String> factorColumns;
    private final List<Row> rows;

    public StudyTable(StudyDefinition study, List<CellOutcome> outcomes) {
        this.study = Objects.requireNonNull(study, "study");
        this.outcomes = List.copyOf(outcomes);
        List<MetricColumn> wanted = study.metrics().isEmpty() ? MetricColumn.USUAL : study.metrics();
        this.columns = study.metrics().isEmpty()
                ? wanted.stream().filter(c -> outcomes.stream().anyMatch(o -> o.metrics() != null
                        && c.in(o.metrics()).isPresent())).toList()
                : wanted;
        this.factorColumns = outcomes.isEmpty() ? List.of() : List.copyOf(outcomes.get(0).cell().factors().keySet());
        Map<String, List<CellOutcome>> byLabel = new LinkedHashMap<>();
        for (CellOutcome o : outcomes) {
            byLabel.computeIfAbsent(o.cell().label(), k -> new ArrayList<>()).add(o);
        }
        List<Row> out = new ArrayList<>();
        for (var e : byLabel.entrySet()) {
            int m = columns.size();
            double[] mean = new double[m];
            double[] std = new double[m];
            double[][] values = new double[m][];
            for (int c = 0; c < m; c++) {
                MetricColumn col = columns.get(c);
                values[c] = e.getValue().stream().filter(o -> o.metrics() != null).map(o -> col.in(o.metrics()))
                        .filter(OptionalDouble::isPresent).mapToDouble(OptionalDouble::getAsDouble).toArray();
                mean[c] = mean(values[c]);
                std[c] = std(values[c]);
            }
            out.add(new Row(e.getKey(), e.getValue().get(0).cell().factors(), e.getValue(), mean, std, values));
        }
        this.rows = List.copyOf(out);
    }

    public List<MetricColumn> columns() {
        return columns;
    }

    public List<Row> rows() {
        return rows;
    }

    /** One line per cell: its factors, seed, status, metrics and error. */
    public String cellsCsv() {
        StringBuilder b = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("cell"));
        header.addAll(factorColumns);
        header.addAll(List.of("seed", "status"));
        columns.forEach(c -> header.add(c.name()));
        header.add("error");
        b.append(csvLine(header));
        for (CellOutcome o : outcomes) {
            List<String> line = new ArrayList<>(List.of(o.cell().id()));
            factorColumns.forEach(f -> line.add(o.cell().factors().getOrDefault(f, "")));
            line.add(Integer.toString(o.cell().seed()));
            line.add(o.status().name().toLowerCase(Locale.ROOT));
            for (MetricColumn c : columns) {
                OptionalDouble v = o.metrics() == null ? OptionalDouble.empty() : c.in(o.metrics());
                line.add(v.isPresent() ? Double.toString(v.getAsDouble()) : "");
            }
            line.add(o.error() == null ? "" : o.error());
            b.append(csvLine(line));
        }
        return b.toString();
    }

    /** One line per combination: each metric's mean and standard deviation over the seeds that finished. */
    public String summaryCsv() {
        StringBuilder b = new StringBuilder();
        List<String> header = new ArrayList<>(factorColumns);
        header.addAll(List.of("cells", "failed"));
        columns.forEach(c -> {
            header.add(c.name() + " mean");
            header.add(c.name() + " std");
        });
        b.append(csvLine(header));
        for (Row r : rows) {
            List<String> line = new ArrayList<>();
            factorColumns.forEach(f -> line.add(r.factors().getOrDefault(f, "")));
            line.add(Integer.toString(r.cells().size()));
            line.add(Long.toString(r.failed()));
            for (int c = 0; c < columns.size(); c++) {
                line.add(Double.isNaN(r.mean()[c]) ? "" : Double.toString(r.mean()[c]));
                line.add(Double.isNaN(r.std()[c]) ? "" : Double.toString(r.std()[c]));
            }
            b.append(csvLine(line));
        }
        return b.toString();
    }

    /** The summary as a Markdown table, followed by the errors of failed cells. */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Study: ").append(study.name()).append("\n\n");
        if (!study.description().isBlank()) {
            b.append(study.description().strip()).append("\n\n");
        }
        int seeds = study.seeds().size();
        b.append(seeds > 1 ? "Mean ± standard deviation over seeds " + study.seeds() + "." : "Seed " + study.seeds().get(0) + ".")
                .append("\n\n");
        List<String> header = new ArrayList<>(factorColumns);
        if (header.isEmpty()) {
            header.add("cell");
        }
        columns.forEach(c -> header.add(c.name()));
        header.add("cells");
        b.append("| ").append(String.join(" | ", header)).append(" |\n");
        b.append("|").append("---|".repeat(header.size())).append('\n');
        for (Row r : rows) {
            List<String> line = new ArrayList<>();
            if (factorColumns.isEmpty()) {
                line.add(r.label());
            }
            factorColumns.forEach(f -> line.add("`" + r.factors().getOrDefault(f, "") + "`"));
            for (int c = 0; c < columns.size(); c++) {
                line.add(format(r.mean()[c], r.std()[c], r.values()[c].length));
            }
            long failed = r.failed();
            line.add(r.cells().size() - failed + "/" + r.cells().size() + (failed > 0 ? " (" + failed + " failed)" : ""));
            b.append("| ").append(String.join(" | ", line)).append(" |\n");
        }
        List<CellOutcome> failed = outcomes.stream().filter(o -> o.status() == CellOutcome.Status.FAILED).toList();
        if (!failed.isEmpty()) {
            b.append("\nFailed cells (rerun the study to retry them):\n\n");
            for (CellOutcome o : failed) {
                b.append("- ").append(o.cell().title()).append(": ")
                        .append(o.error().lines().collect(Collectors.joining(" "))).append('\n');
            }
        }
        b.append("\nColumns: ").append(columns.stream().map(c -> c.name().equals(c.path()) ? "`" + c.path() + "`"
                : c.name() + " = `" + c.path() + "`").collect(Collectors.joining(", "))).append(" (in each cell's metrics.json).\n");
        return b.toString();
    }

    static String format(double mean, double std, int n) {
        if (n == 0) {
            return "—";
        }
        return n > 1 ? significant(mean) + " ± " + significant(std) : significant(mean);
    }

    private static String significant(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : Double.toString(v);
        }
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static double mean(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** The sample standard deviation (n − 1); 0 for one value. */
    private static double std(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        if (v.length == 1) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    private static String csvLine(List<String> fields) {
        return fields.stream().map(f -> f.contains(",") || f.contains("\"") || f.contains("\n")
                ? "\"" + f.replace("\"", "\"\"") + "\"" : f).collect(Collectors.joining(",")) + "\n";
    }
}
