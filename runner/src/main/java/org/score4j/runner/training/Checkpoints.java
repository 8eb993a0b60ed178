package org.score4j.runner.training;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.score4j.api.ScoreModel;
import org.score4j.api.spi.ModelFactory;
import org.score4j.runner.UserError;

/**
 * A run's checkpoints: {@code RUN/checkpoints/step-NNNNNNNNNN.zip}, the newest few kept. Each is a zip of
 * {@code checkpoint.properties} (format, step, model name, hashes of the resolved configuration and
 * of the data), {@code config.conf} (the resolved configuration), {@code training.properties} (the
 * loss statistics) and {@code model.bin} (parameters and optimizer state, in the model's own format).
 * Training draws step t's randomness from streams derived from (seed, t), so the step number is the
 * whole random state. A checkpoint is written to a temporary file, forced to disk, then renamed: a
 * crash at any moment leaves the newest complete checkpoint readable.
 */
public final class Checkpoints {
    public static final String DIRECTORY = "checkpoints";
    static final String FORMAT = "score4j-checkpoint/2";
    private static final Pattern NAME = Pattern.compile("step-(\\d{1,18})\\.zip");

    private Checkpoints() {
    }

    /** What a checkpoint holds besides the model. */
    public record Meta(String modelName, long step, String configHash, String configText, String dataFingerprint) {
    }

    /** A loaded checkpoint. */
    public record Loaded(Path file, ScoreModel model, Meta meta, Properties training) {
        public long step() {
            return meta.step();
        }
    }

    /** Writes a checkpoint of {@code model} into {@code runDir/checkpoints} and removes all but the newest {@code keep}. */
    public static Path write(Path runDir, ScoreModel model, Meta meta, Properties training, int keep) throws IOException {
        Path dir = Files.createDirectories(runDir.resolve(DIRECTORY));
        Path target = dir.resolve(String.format(Locale.ROOT, "step-%010d.zip", meta.step()));
        Path temp = dir.resolve(target.getFileName() + ".tmp");
        try (OutputStream file = Files.newOutputStream(temp);
             ZipOutputStream zip = new ZipOutputStream(file)) {
            Properties p = new Properties();
            p.setProperty("format", FORMAT);
            p.setProperty("step", Long.toString(meta.step()));
            p.setProperty("model", meta.modelName());
            p.setProperty("config-hash", meta.configHash());
            p.setProperty("data-fingerprint", meta.dataFingerprint());
            entry(zip, "checkpoint.properties", bytes(p));
            entry(zip, "config.conf", meta.configText().getBytes(StandardCharsets.UTF_8));
            entry(zip, "training.properties", bytes(training));
            zip.putNextEntry(new ZipEntry("model.bin"));
            model.save(zip);
            zip.closeEntry();
        }
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Not every file system can sync a directory; the rename itself is atomic.
        }
        List<Path> all = list(runDir);
        for (int i = keep; i < all.size(); i++) {
            Files.deleteIfExists(all.get(i));
        }
        try (Stream<Path> s = Files.list(dir)) {
            // Left by a process killed while writing; never read.
            for (Path stale : s.filter(f -> f.getFileName().toString().endsWith(".zip.tmp")).toList()) {
                Files.deleteIfExists(stale);
            }
        }
        return target;
    }

    /** The checkpoint files of a run, newest first. */
    public static List<Path> list(Path runDir) {
        Path dir = runDir.resolve(DIRECTORY);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(Checkpoints::stepOf).reversed()).toList();
        } catch (IOException e) {
            throw new UserError("cannot list " + dir + ": " + e.getMessage());
        }
    }

    /**
     * The newest checkpoint of a run that can be read; an unreadable newer one is reported to
     * {@code warn} and skipped.
     *
     * @throws UserError if the run has no readable checkpoint, naming each file and its problem
     */
    public static Loaded newest(Path runDir, Map<String, ModelFactory> factories, Consumer<String> warn) {
        List<String> problems = new ArrayList<>();
        for (Path file : list(runDir)) {
            try {
                Loaded loaded = read(file, factories);
                problems.forEach(p -> warn.accept("skipping an unreadable checkpoint: " + p));
                return loaded;
            } catch (UserError e) {
                problems.add(e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            throw new UserError("no checkpoint in " + runDir.resolve(DIRECTORY) + " (was the run trained?)");
        }
        throw new UserError("no readable checkpoint in " + runDir.resolve(DIRECTORY) + ":\n  " + String.join("\n  ", problems));
    }

    /**
     * Reads one checkpoint file, restoring the model with the factory its properties name.
     *
     * @throws UserError naming the file and what is wrong with it
     */
    public static Loaded read(Path file, Map<String, ModelFactory> factories) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError("no checkpoint at " + file);
        } catch (IOException e) {
            throw new UserError("checkpoint " + file + " cannot be read: " + e.getMessage());
        }
        Properties p = null;
        Properties training = null;
        String config = null;
        byte[] model = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                switch (e.getName()) {
                    case "checkpoint.properties" -> p = properties(zip.readAllBytes());
                    case "training.properties" -> training = properties(zip.readAllBytes());
                    case "config.conf" -> config = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                    case "model.bin" -> model = zip.readAllBytes();
                    default -> {
                    }
                }
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new UserError("checkpoint " + file + " is corrupt or truncated (" + e.getMessage() + ")");
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError("checkpoint " + file + " cannot be read: " + e.getMessage());
        }
        if (p == null || training == null || config == null || model == null || !FORMAT.equals(p.getProperty("format"))) {
            throw new UserError(file + " is not a complete score4j checkpoint (expected format " + FORMAT
                    + ": checkpoint.properties, config.conf, training.properties and model.bin)");
        }
        String name = p.getProperty("model", "");
        ModelFactory factory = factories.get(name);
        if (factory == null) {
            throw new UserError("checkpoint " + file + " holds a model '" + name + "' that no plugin provides; known: "
                    + String.join(", ", new TreeSet<>(factories.keySet())));
        }
        long step;
        try {
            step = Long.parseLong(p.getProperty("step", ""));
        } catch (NumberFormatException e) {
            throw new UserError("checkpoint " + file + " has no valid step number");
        }
        try {
            ScoreModel m = factory.load(new ByteArrayInputStream(model));
            return new Loaded(file, m, new Meta(name, step, p.getProperty("config-hash", ""), config,
                    p.getProperty("data-fingerprint", "")), training);
        } catch (IOException | RuntimeException e) {
            throw new UserError("checkpoint " + file + ": the model cannot be restored: " + e.getMessage());
        }
    }

    private static long stepOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static Properties properties(byte[] bytes) throws IOException {
        Properties p = new Properties();
        p.load(new ByteArrayInputStream(bytes));
        return p;
    }

    private static byte[] bytes(Properties p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.store(out, "score4j checkpoint");
        return out.toByteArray();
    }

    private static void entry(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }
}
