package org.score4j.api.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A table of numbers read from a CSV file: one row a line, an optional header line, blank lines and lines starting
 * with '#' skipped, a UTF-8 byte-order mark ignored. The separator is the file's: a tab if its first line has one,
 * else ';' if it has one, else ','; a value with a comma in a ';'- or tab-separated file is refused rather than read as
 * two columns (write decimals with '.'). Every value must be a finite number that fits a float — or, when the table may
 * have missing values, an empty cell or {@code NaN}, read as NaN. An optional label column (a header name or a 1-based
 * index) is kept as text. Every problem names the file, line and column. Files are regular files of at most
 * {@link #MAX_BYTES} bytes with at most {@link #MAX_COLUMNS} columns.
 *
 * @param file    the file read
 * @param header  the header's names, or null when the file has none
 * @param columns the names of the numeric columns (from the header, else {@code x1, x2, …})
 * @param rows    the numeric values, one array per row (NaN where missing)
 * @param labels  each row's label, or null without a label column
 */
public record CsvTable(Path file, List<String> header, List<String> columns, double[][] rows, List<String> labels) {
    public static final long MAX_BYTES = 1L << 30;
    public static final int MAX_COLUMNS = 65_536;

    public CsvTable {
        Objects.requireNonNull(file, "file");
        header = header == null ? null : List.copyOf(header);
        columns = List.copyOf(columns);
        labels = labels == null ? null : List.copyOf(labels);
    }

    /**
     * Reads a table.
     *
     * @param labelColumn "" for none, else the header name or 1-based index of the column holding each row's label
     * @param missing     whether empty and NaN cells are allowed (as NaN)
     * @throws MalformedTableException naming the file, line and column of the first problem
     */
    public static CsvTable read(Path file, String labelColumn, boolean missing) throws MalformedTableException {
        Objects.requireNonNull(file, "file");
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) {
                throw new MalformedTableException(Files.exists(file) ? file
                        + " is not a regular file (a directory, device or pipe is never read as data)"
                        : "file " + file + " does not exist");
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new MalformedTableException(file + " has " + size + " bytes, more than the " + MAX_BYTES
                        + " bytes score4j reads from one data file");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new MalformedTableException("file " + file + " cannot be read: " + e.getMessage());
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n", -1);
        String separator = null;
        String[] header = null;
        int labelAt = -1;
        List<double[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        int width = -1;
        int firstDataLine = -1;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (separator == null) {
                separator = line.contains("\t") ? "\t" : line.contains(";") ? ";" : ",";
            }
            String[] fields = line.split("\\s*" + java.util.regex.Pattern.quote(separator) + "\\s*", -1);
            if (fields.length > MAX_COLUMNS) {
                throw new MalformedTableException(file + " line " + (i + 1) + ": " + fields.length + " columns, more than "
                        + "the " + MAX_COLUMNS + " score4j reads");
            }
            if (rows.isEmpty() && header == null && !looksNumeric(fields, labelColumn, missing)) {
                header = fields;
                continue;
            }
            if (width < 0) {
                width = fields.length;
                firstDataLine = i + 1;
                labelAt = labelIndex(file, labelColumn, header, width);
            } else if (fields.length != width) {
                throw new MalformedTableException(file + " line " + (i + 1) + ": " + fields.length + " values, expected "
                        + width + " as on line " + firstDataLine);
            }
            double[] row = new double[labelAt < 0 ? width : width - 1];
            int at = 0;
            for (int c = 0; c < fields.length; c++) {
                if (c == labelAt) {
                    labels.add(fields[c]);
                    continue;
                }
                row[at++] = value(file, i + 1, c + 1, fields[c], separator, missing);
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new MalformedTableException(file + " has no data rows");
        }
        if (rows.get(0).length == 0) {
            throw new MalformedTableException(file + " has no columns besides its label column");
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            if (c != labelAt) {
                names.add(header != null && c < header.length ? header[c] : "x" + (names.size() + 1));
            }
        }
        return new CsvTable(file, header == null ? null : Arrays.asList(header), names, rows.toArray(new double[0][]),
                labelAt < 0 ? null : labels);
    }

    /** The number of numeric columns. */
    public int width() {
        return rows[0].length;
    }

    private static double value(Path file, int line, int column, String field, String separator, boolean missing)
            throws MalformedTableException {
        String where = file + " line " + line + ", column " + column + ": ";
        if (missing && (field.isEmpty() || field.equalsIgnoreCase("nan"))) {
            return Double.NaN;
        }
        if (!separator.equals(",") && field.contains(",")) {
            throw new MalformedTableException(where + "'" + field + "' has a comma in a '" + (separator.equals("\t")
                    ? "tab" : separator) + "'-separated file; write decimals with '.' (e.g. " + field.replace(',', '.') + ")");
        }
        double v;
        try {
            v = Double.parseDouble(field);
        } catch (NumberFormatException e) {
            throw new MalformedTableException(where + "'" + field + "' is not a number"
                    + (missing ? " (leave a missing value empty or write NaN)" : ""));
        }
        if (!Double.isFinite(v)) {
            throw new MalformedTableException(where + "'" + field + "' is not a finite number");
        }
        if (Math.abs(v) > Float.MAX_VALUE) {
            throw new MalformedTableException(where + "'" + field + "' is beyond the float range (±3.4e38) score4j "
                    + "computes in");
        }
        return v;
    }

    private static int labelIndex(Path file, String labelColumn, String[] header, int columns)
            throws MalformedTableException {
        if (labelColumn.isBlank()) {
            return -1;
        }
        if (labelColumn.matches("\\d+")) {
            int index = Integer.parseInt(labelColumn) - 1;
            if (index < 0 || index >= columns) {
                throw new MalformedTableException(file + " has " + columns + " columns; label column " + labelColumn
                        + " is not one of them");
            }
            return index;
        }
        if (header == null) {
            throw new MalformedTableException(file + " has no header line, so the label column '" + labelColumn
                    + "' cannot be found by name; give its 1-based index");
        }
        for (int c = 0; c < header.length; c++) {
            if (header[c].equals(labelColumn)) {
                return c;
            }
        }
        throw new MalformedTableException(file + " has no column '" + labelColumn + "'; its header is "
                + String.join(", ", header));
    }

    /** Whether a line is data rather than a header: every field but a label column's is a number (or missing). */
    private static boolean looksNumeric(String[] fields, String labelColumn, boolean missing) {
        int numbers = 0;
        for (String f : fields) {
            if (missing && (f.isEmpty() || f.equalsIgnoreCase("nan"))) {
                numbers++;
                continue;
            }
            try {
                Double.parseDouble(f);
                numbers++;
            } catch (NumberFormatException e) {
                // a header name or a label
            }
        }
        return numbers >= fields.length - (labelColumn.isBlank() ? 0 : 1) && numbers > 0;
    }

    /** The table's rows as they are written back: {@code values} ({@code [n][width]}) under this table's header. */
    public String render(double[][] values) {
        StringBuilder b = new StringBuilder();
        b.append(String.join(",", columns)).append('\n');
        for (double[] row : values) {
            for (int j = 0; j < row.length; j++) {
                b.append(j == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "%.6g", row[j]));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
