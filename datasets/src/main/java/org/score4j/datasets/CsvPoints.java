package org.score4j.datasets;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.Dataset;
import org.score4j.api.random.RandomSource;
import org.score4j.api.spi.Fingerprint;

/**
 * Points read from a CSV file (comma, semicolon or tab separated; an optional header line; blank
 * lines and lines starting with '#' skipped), sampled with replacement.
 */
public final class CsvPoints implements Dataset {
    private final float[][] rows;
    private final String fingerprint;

    private CsvPoints(float[][] rows, String fingerprint) {
        this.rows = rows;
        this.fingerprint = fingerprint;
    }

    /** Reads {@code file}; throws with the file name and line number of the first problem. */
    public static CsvPoints read(Path file) throws MalformedFileException {
        Objects.requireNonNull(file, "file");
        byte[] bytes = MalformedFileException.readAll(file);
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n", -1);
        List<float[]> rows = new ArrayList<>();
        int columns = -1;
        int firstDataLine = -1;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s*[,;\\t]\\s*", -1);
            if (rows.isEmpty() && firstDataLine < 0 && !looksNumeric(fields[0])) {
                firstDataLine = -2; // header seen
                continue;
            }
            float[] row = new float[fields.length];
            for (int c = 0; c < fields.length; c++) {
                try {
                    double v = Double.parseDouble(fields[c]);
                    if (!Double.isFinite(v)) {
                        throw new NumberFormatException();
                    }
                    row[c] = (float) v;
                } catch (NumberFormatException e) {
                    throw new MalformedFileException(file + " line " + (i + 1) + ", column " + (c + 1) + ": '"
                            + fields[c] + "' is not a finite number");
                }
            }
            if (columns < 0) {
                columns = row.length;
                firstDataLine = i + 1;
            } else if (row.length != columns) {
                throw new MalformedFileException(file + " line " + (i + 1) + ": " + row.length + " values, expected "
                        + columns + " as on line " + firstDataLine);
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new MalformedFileException(file + " has no data rows");
        }
        return new CsvPoints(rows.toArray(new float[0][]), Fingerprint.sha256(bytes));
    }

    private static boolean looksNumeric(String field) {
        try {
            Double.parseDouble(field);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Number of points in the file. */
    public int size() {
        return rows.length;
    }

    @Override
    public long[] exampleShape() {
        return new long[] {rows[0].length};
    }

    @Override
    public INDArray sample(int n, RandomSource rng) {
        int[] pick = rng.integers(n, rows.length);
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = rows[pick[i]];
        }
        return Nd4j.create(out);
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }
}
