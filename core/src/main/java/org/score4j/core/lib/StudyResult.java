package org.score4j.core.lib;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A study's table: one row per combination of its factors, each metric's mean and standard deviation over seeds.
 *
 * @param directory where the study wrote ({@code summary.md}, {@code summary.csv}, figures, cells)
 * @param columns   the metric columns' names
 * @param rows      the rows, in study order
 * @param markdown  the table as {@code summary.md} has it
 */
public record StudyResult(Path directory, List<String> columns, List<Row> rows, String markdown) {
    public StudyResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /**
     * One row.
     *
     * @param label    what the row's cells vary, {@code key=value, …}
     * @param factors  the same, as a map
     * @param mean     each column's mean over the cells that finished
     * @param std      each column's standard deviation over them
     * @param finished cells that finished (or were reused)
     * @param failed   cells that failed
     */
    public record Row(String label, Map<String, String> factors, double[] mean, double[] std, int finished, int failed) {
        public Row {
            factors = Map.copyOf(factors);
            mean = mean.clone();
            std = std.clone();
        }

        @Override
        public double[] mean() {
            return mean.clone();
        }

        @Override
        public double[] std() {
            return std.clone();
        }

        /** The mean of the column named {@code column}. */
        public double mean(List<String> columns, String column) {
            int i = columns.indexOf(column);
            if (i < 0) {
                throw new IllegalArgumentException("no column '" + column + "'; columns: " + columns);
            }
            return mean[i];
        }
    }

    /** The mean of {@code column} in the row labelled {@code label}. */
    public double mean(String label, String column) {
        return rows.stream().filter(r -> r.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no row '" + label + "'; rows: "
                        + rows.stream().map(Row::label).toList()))
                .mean(columns, column);
    }
}
