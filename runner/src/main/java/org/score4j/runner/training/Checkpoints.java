package org.score4j.runner.training;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.score4j.api.ScoreModel;
import org.score4j.api.spi.ModelFactory;
import org.score4j.runner.UserError;

/**
 * Checkpoint files: a zip of {@code checkpoint.properties} (format, step, model name, config hash)
 * and {@code model.bin} (the model's own bytes). Written to a temporary file, forced to disk, then
 * renamed over the previous one, so the newest checkpoint is always complete.
 */
public final class Checkpoints {
    public static final String FILE = "checkpoint.zip";
    static final String FORMAT = "score4j-checkpoint/1";

    private Checkpoints() {
    }

    /** A loaded checkpoint. */
    public record Loaded(ScoreModel model, String modelName, long step, String configHash) {
    }

    /** Writes {@code model} atomically as {@code dir/checkpoint.zip}. */
    public static Path write(Path dir, ScoreModel model, String modelName, long step, String configHash) throws IOException {
        Path target = dir.resolve(FILE);
        Path temp = dir.resolve(FILE + ".tmp");
        try (OutputStream file = Files.newOutputStream(temp);
             ZipOutputStream zip = new ZipOutputStream(file)) {
            Properties p = new Properties();
            p.setProperty("format", FORMAT);
            p.setProperty("step", Long.toString(step));
            p.setProperty("model", modelName);
            p.setProperty("config-hash", configHash);
            zip.putNextEntry(new ZipEntry("checkpoint.properties"));
            p.store(zip, "score4j checkpoint");
            zip.closeEntry();
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
        return target;
    }

    /**
     * Reads a checkpoint, restoring the model with the factory its properties name.
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
        byte[] model = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals("checkpoint.properties")) {
                    p = new Properties();
                    p.load(new ByteArrayInputStream(zip.readAllBytes()));
                } else if (e.getName().equals("model.bin")) {
                    model = zip.readAllBytes();
                }
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new UserError("checkpoint " + file + " is corrupt or truncated (" + e.getMessage() + ")");
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError("checkpoint " + file + " cannot be read: " + e.getMessage());
        }
        if (p == null || model == null || !FORMAT.equals(p.getProperty("format"))) {
            throw new UserError(file + " is not a score4j checkpoint (expected checkpoint.properties of format "
                    + FORMAT + " and model.bin)");
        }
        String name = p.getProperty("model", "");
        ModelFactory factory = factories.get(name);
        if (factory == null) {
            throw new UserError("checkpoint " + file + " holds a model '" + name + "' that no plugin provides; known: "
                    + String.join(", ", new java.util.TreeSet<>(factories.keySet())));
        }
        try {
            ScoreModel m = factory.load(new ByteArrayInputStream(model));
            return new Loaded(m, name, Long.parseLong(p.getProperty("step", "0")), p.getProperty("config-hash", ""));
        } catch (IOException | RuntimeException e) {
            throw new UserError("checkpoint " + file + ": the model cannot be restored: " + e.getMessage());
        }
    }
}
