package org.score4j.datasets;

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
import org.score4j.api.io.CsvTable;
import org.score4j.api.io.MalformedTableException;
import org.score4j.api.tensors.Tensors;
import org.score4j.api.random.RandomSource;
import org.score4j.api.spi.Fingerprint;

/**
 * Points read from a CSV file (the rules of {@link CsvTable}, no missing values), sampled with replacement. An optional
 * label column (a header name or a 1-based index) makes it a {@link LabelledDataset}: its distinct values, in sorted
 * order, are the classes.
 */
public class CsvPoints implements FiniteDataset {
    private final float[][] rows;
    private final String fingerprint;
    private CsvPoints heldOut;

    CsvPoints(float[][] rows, String fingerprint) {
        this.rows = rows;
        this.fingerprint = fingerprint;
    }

    /**
     * This table with {@code heldOut} as its held-out rows (the same columns, and labels when this table has them); the
     * fingerprint covers both.
     *
     * @throws IllegalArgumentException if the held-out rows have other columns or labels
     */
    public CsvPoints withHeldOut(CsvPoints heldOut) {
        if (heldOut.rows[0].length != rows[0].length || (heldOut instanceof LabelledDataset) != (this instanceof LabelledDataset)) {
            throw new IllegalArgumentException("the held-out rows have " + heldOut.rows[0].length + " columns"
                    + (heldOut instanceof LabelledDataset ? " and labels" : "") + ", the training rows " + rows[0].length
                    + (this instanceof LabelledDataset ? " and labels" : ""));
        }
        String both = Fingerprint.sha256(fingerprint + " held-out " + heldOut.fingerprint);
        CsvPoints copy = this instanceof WithLabels l ? new WithLabels(rows, both, l.labels, l.names)
                : new CsvPoints(rows, both);
        copy.heldOut = heldOut;
        return copy;
    }

    @Override
    public java.util.Optional<Dataset> heldOut() {
        return java.util.Optional.ofNullable(heldOut);
    }

    /** Reads {@code file} without labels; throws with the file name, line and column of the first problem. */
    public static CsvPoints read(Path file) throws MalformedFileException {
        return read(file, "");
    }

    /**
     * Reads {@code file} as a {@link CsvTable} without missing values.
     *
     * @param labelColumn "" for none, else the header name or 1-based index of the column holding each row's class
     */
    public static CsvPoints read(Path file, String labelColumn) throws MalformedFileException {
        Objects.requireNonNull(file, "file");
        CsvTable table;
        String content;
        try {
            table = CsvTable.read(file, labelColumn, false);
            content = Fingerprint.sha256(file);
        } catch (MalformedTableException e) {
            throw new MalformedFileException(e.getMessage());
        } catch (java.io.IOException e) {
            throw new MalformedFileException("file " + file + " cannot be read: " + e.getMessage());
        }
        float[][] values = new float[table.rows().length][];
        for (int i = 0; i < values.length; i++) {
            double[] r = table.rows()[i];
            values[i] = new float[r.length];
            for (int j = 0; j < r.length; j++) {
                values[i][j] = (float) r[j];
            }
        }
        String fingerprint = Fingerprint.sha256(content + (labelColumn.isBlank() ? "" : " label=" + labelColumn));
        if (table.labels() == null) {
            return new CsvPoints(values, fingerprint);
        }
        List<String> names = new ArrayList<>(new TreeSet<>(table.labels()));
        int[] classes = table.labels().stream().mapToInt(names::indexOf).toArray();
        return new WithLabels(values, fingerprint, classes, names);
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
