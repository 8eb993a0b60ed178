package org.score4j.core.training;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code train-log.csv}: the mean loss (overall and per σ bin, the columns named by the bins' centres: the training
 * schedule's levels) since the previous row, per logged step.
 */
public final class TrainingLog implements AutoCloseable {

    /** One logged step. {@code levels[i]} is NaN when no example of σ bin i fell in the window. */
    public record Row(long step, double loss, double[] levels, double gradientNorm, double seconds) {
    }

    private final BufferedWriter out;
    private final List<Row> rows = new ArrayList<>();

    /** A new log; an existing file is replaced. */
    public TrainingLog(Path file, double[] sigmas) {
        this(file, header(sigmas), List.of(), List.of());
    }

    private TrainingLog(Path file, String header, List<String> keptLines, List<Row> keptRows) {
        try {
            // The kept rows replace the file in one rename, so a crash here loses no row.
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            StringBuilder b = new StringBuilder(header);
            keptLines.forEach(line -> b.append(line).append('\n'));
            Files.writeString(temp, b);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            out = Files.newBufferedWriter(file, StandardOpenOption.APPEND);
            rows.addAll(keptRows);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Continues the log of a resumed run: keeps the rows up to {@code step} (the checkpoint resumed
     * from) and drops the rows a killed run wrote after it.
     */
    public static TrainingLog resume(Path file, double[] sigmas, long step) {
        List<String> kept = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            try {
                List<String> lines = Files.readAllLines(file);
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    Row row = parse(line, sigmas.length);
                    if (row == null || row.step() > step) {
                        break;
                    }
                    kept.add(line);
                    rows.add(row);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return new TrainingLog(file, header(sigmas), kept, rows);
    }

    private static String header(double[] sigmas) {
        StringBuilder header = new StringBuilder("step,loss");
        for (double s : sigmas) {
            header.append(",loss_sigma_").append(String.format(Locale.ROOT, "%.4g", s));
        }
        return header.append(",grad_norm,seconds\n").toString();
    }

    /** A row of the file, or null if the line is incomplete (a killed run's last line). */
    private static Row parse(String line, int levels) {
        String[] f = line.split(",", -1);
        if (f.length != levels + 4) {
            return null;
        }
        try {
            double[] lv = new double[levels];
            for (int i = 0; i < levels; i++) {
                lv[i] = f[2 + i].isEmpty() ? Double.NaN : Double.parseDouble(f[2 + i]);
            }
            return new Row(Long.parseLong(f[0]), Double.parseDouble(f[1]), lv, Double.parseDouble(f[levels + 2]),
                    Double.parseDouble(f[levels + 3]));
        } catch (NumberFormatException e) {
            return null;
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
