package org.score4j.datasets;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Dataset;
import org.score4j.api.FiniteDataset;
import org.score4j.api.LabelledDataset;
import org.score4j.api.tensors.Tensors;
import org.score4j.api.random.RandomSource;
import org.score4j.api.spi.Fingerprint;

/**
 * Points read from a CSV file, sampled with replacement: one point a line, an optional header line, blank lines and
 * lines starting with '#' skipped, a UTF-8 byte-order mark ignored. The separator is the file's: a tab if its first line
 * has one, else ';' if it has one, else ','; a value with a comma in a ';'- or tab-separated file is refused rather
 * than read as two columns (write decimals with '.'). Every value must be a finite number that fits a float. An
 * optional label column (a header name or a 1-based index) makes it a {@link LabelledDataset}: its distinct values, in
 * sorted order, are the classes.
 */
public class CsvPoints implements FiniteDataset {
    /** The most columns a CSV file may have. */
    static final int MAX_COLUMNS = 65_536;

    private final float[][] rows;
    private final String fingerprint;

    CsvPoints(float[][] rows, String fingerprint) {
        this.rows = rows;
        this.fingerprint = fingerprint;
    }

    /** Reads {@code file} without labels; throws with the file name, line and column of the first problem. */
    public static CsvPoints read(Path file) throws MalformedFileException {
        return read(file, "");
    }

    /**
     * Reads {@code file}.
     *
     * @param labelColumn "" for none, else the header name or 1-based index of the column holding each row's class
     */
    public static CsvPoints read(Path file, String labelColumn) throws MalformedFileException {
        Objects.requireNonNull(file, "file");
        byte[] bytes = MalformedFileException.readAll(file);
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n", -1);
        String separator = null;
        String[] header = null;
        int labelAt = -1;
        List<float[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        int columns = -1;
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
                throw new MalformedFileException(file + " line " + (i + 1) + ": " + fields.length + " columns, more than "
                        + "the " + MAX_COLUMNS + " score4j reads");
            }
            if (rows.isEmpty() && header == null && firstDataLine < 0 && !looksNumeric(fields, labelColumn)) {
                header = fields;
                continue;
            }
            if (columns < 0) {
                columns = fields.length;
                firstDataLine = i + 1;
                labelAt = labelIndex(file, labelColumn, header, columns);
            } else if (fields.length != columns) {
                throw new MalformedFileException(file + " line " + (i + 1) + ": " + fields.length + " values, expected "
                        + columns + " as on line " + firstDataLine);
            }
            float[] row = new float[labelAt < 0 ? columns : columns - 1];
            int at = 0;
            for (int c = 0; c < fields.length; c++) {
                if (c == labelAt) {
                    labels.add(fields[c]);
                    continue;
                }
                row[at++] = value(file, i + 1, c + 1, fields[c], separator);
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new MalformedFileException(file + " has no data rows");
        }
        if (rows.get(0).length == 0) {
            throw new MalformedFileException(file + " has no columns besides its label column");
        }
        float[][] values = rows.toArray(new float[0][]);
        String fingerprint = Fingerprint.sha256(bytes) + (labelColumn.isBlank() ? "" : " label=" + labelColumn);
        if (labelAt < 0) {
            return new CsvPoints(values, Fingerprint.sha256(fingerprint));
        }
        List<String> names = new ArrayList<>(new TreeSet<>(labels));
        int[] classes = labels.stream().mapToInt(names::indexOf).toArray();
        return new WithLabels(values, Fingerprint.sha256(fingerprint), classes, names);
    }

    private static float value(Path file, int line, int column, String field, String separator)
            throws MalformedFileException {
        String where = file + " line " + line + ", column " + column + ": ";
        if (!separator.equals(",") && field.contains(",")) {
            throw new MalformedFileException(where + "'" + field + "' has a comma in a '" + (separator.equals("\t")
                    ? "tab" : separator) + "'-separated file; write decimals with '.' (e.g. " + field.replace(',', '.') + ")");
        }
        double v;
        try {
            v = Double.parseDouble(field);
        } catch (NumberFormatException e) {
            throw new MalformedFileException(where + "'" + field + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new MalformedFileException(where + "'" + field + "' is not a finite number");
        }
        if (Math.abs(v) > Float.MAX_VALUE) {
            throw new MalformedFileException(where + "'" + field + "' is beyond the float range (±3.4e38) score4j "
                    + "computes in");
        }
        return (float) v;
    }

    private static int labelIndex(Path file, String labelColumn, String[] header, int columns)
            throws MalformedFileException {
        if (labelColumn.isBlank()) {
            return -1;
        }
        if (labelColumn.matches("\\d+")) {
            int index = Integer.parseInt(labelColumn) - 1;
            if (index < 0 || index >= columns) {
                throw new MalformedFileException(file + " has " + columns + " columns; label column " + labelColumn
                        + " is not one of them");
            }
            return index;
        }
        if (header == null) {
            throw new MalformedFileException(file + " has no header line, so the label column '" + labelColumn
                    + "' cannot be found by name; give its 1-based index");
        }
        for (int c = 0; c < header.length; c++) {
            if (header[c].equals(labelColumn)) {
                return c;
            }
        }
        throw new MalformedFileException(file + " has no column '" + labelColumn + "'; its header is "
                + String.join(", ", header));
    }

    /** Whether a line is data rather than a header: every field but a label column's is a number. */
    private static boolean looksNumeric(String[] fields, String labelColumn) {
        int numbers = 0;
        for (String f : fields) {
            try {
                Double.parseDouble(f);
                numbers++;
            } catch (NumberFormatException e) {
                // a header name or a label
            }
        }
        return numbers >= fields.length - (labelColumn.isBlank() ? 0 : 1) && numbers > 0;
    }

    /** Number of points in the file. */
    @Override
    public int size() {
        return rows.length;
    }

    @Override
    public INDArray examples(int from, int to) {
        Objects.checkFromToIndex(from, to, rows.length);
        return gather(java.util.stream.IntStream.range(from, to).toArray());
    }

    @Override
    public long[] exampleShape() {
        return new long[] {rows[0].length};
    }

    @Override
    public INDArray sample(int n, RandomSource rng) {
        return gather(rng.integers(n, rows.length));
    }

    INDArray gather(int[] pick) {
        int d = rows[0].length;
        float[] out = new float[pick.length * d];
        for (int i = 0; i < pick.length; i++) {
            System.arraycopy(rows[pick[i]], 0, out, i * d, d);
        }
        return Tensors.array(out, DataType.FLOAT, pick.length, d);
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    /** A CSV file with a label column. */
    private static final class WithLabels extends CsvPoints implements LabelledDataset {
        private final int[] labels;
        private final List<String> names;

        WithLabels(float[][] rows, String fingerprint, int[] labels, List<String> names) {
            super(rows, fingerprint);
            this.labels = labels;
            this.names = List.copyOf(names);
        }

        @Override
        public int classes() {
            return names.size();
        }

        @Override
        public List<String> classNames() {
            return names;
        }

        @Override
        public Dataset.Labelled sampleLabelled(int n, RandomSource rng) {
            int[] pick = rng.integers(n, size());
            int[] l = new int[n];
            for (int i = 0; i < n; i++) {
                l[i] = labels[pick[i]];
            }
            return new Dataset.Labelled(gather(pick), l);
        }
    }
}
