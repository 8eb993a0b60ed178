package org.score4j.runner.training;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code train-log.csv}: the mean loss (overall and per level) since the previous row, per logged step. */
public final class TrainingLog implements AutoCloseable {

    /** One logged step. {@code levels[i]} is NaN when no example of level i fell in the window. */
    public record Row(long step, double loss, double[] levels, double gradientNorm, double seconds) {
    }

    private final BufferedWriter out;
    private final List<Row> rows = new ArrayList<>();

    public TrainingLog(Path file, double[] sigmas) {
        try {
            out = Files.newBufferedWriter(file);
            StringBuilder header = new StringBuilder("step,loss");
            for (double s : sigmas) {
                header.append(",loss_sigma_").append(String.format(Locale.ROOT, "%.4g", s));
            }
            out.write(header.append(",grad_norm,seconds\n").toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public void append(Row row) {
        rows.add(row);
        StringBuilder b = new StringBuilder().append(row.step()).append(',').append(fmt(row.loss()));
        for (double l : row.levels()) {
            b.append(',').append(Double.isNaN(l) ? "" : fmt(l));
        }
        b.append(',').append(fmt(row.gradientNorm())).append(',').append(String.format(Locale.ROOT, "%.3f", row.seconds()));
        try {
            out.write(b.append('\n').toString());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
