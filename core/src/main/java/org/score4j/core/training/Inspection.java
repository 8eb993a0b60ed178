package org.score4j.core.training;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.score4j.api.io.SafeTensors;
import org.score4j.core.UserError;
import org.score4j.core.config.MemoryBudget;
import org.score4j.core.output.RunDirectory;

/**
 * What a checkpoint file or a run directory holds, described without loading a tensor or taking the directory's lock:
 * a checkpoint's header (format, step, components, hashes, each tensor's type, shape and bytes), a run directory's
 * lock holder, manifest and checkpoints.
 */
public final class Inspection {
    private static final String LABEL = "%-20s ";
    private static final Set<String> LONG_TEXT = Set.of("config", "model.config", "training");

    private Inspection() {
    }

    /**
     * Lines describing {@code path}: a checkpoint file or a run directory.
     *
     * @throws UserError if it is neither, or a checkpoint's header cannot be read
     */
    public static List<String> describe(Path path) {
        Objects.requireNonNull(path, "path");
        if (Files.isDirectory(path)) {
            return runDirectory(path);
        }
        if (Files.isRegularFile(path)) {
            return checkpoint(path);
        }
        throw new UserError(path + " is neither a checkpoint file nor a run directory");
    }

    /** A checkpoint's header; tensors are listed, not read. */
    public static List<String> checkpoint(Path file) {
        List<String> out = new ArrayList<>();
        try (SafeTensors t = SafeTensors.open(file, MemoryBudget.bytes())) {
            Map<String, String> m = t.metadata();
            out.add(LABEL.formatted("file") + file + " (" + Files.size(file) + " bytes, SHA-256 " + Checkpoints.sha256(file) + ")");
            out.add(LABEL.formatted("layout") + "safetensors: an 8-byte header length, a JSON header, raw little-endian tensors");
            String format = m.getOrDefault("format", "(none)");
            out.add(LABEL.formatted("format") + format + (Checkpoints.FORMAT.equals(format) ? "" : " (not a score4j checkpoint: "
                    + "score4j reads " + Checkpoints.FORMAT + ")"));
            for (String key : m.keySet().stream().sorted().toList()) {
                if (key.equals("format")) {
                    continue;
                }
                String v = m.get(key);
                out.add(String.format("%-20s %s", key, LONG_TEXT.contains(key) || v.length() > 100
                        ? "(" + v.lines().count() + " lines of text, read as data)" : v));
            }
            for (String name : t.names().stream().sorted().toList()) {
                SafeTensors.Entry e = t.entry(name);
                out.add(String.format("%-20s %-22s %s %s (%d bytes)", "tensor", name, e.dtype(), Arrays.toString(e.shape()),
                        e.end() - e.begin()));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError("checkpoint " + file + " cannot be read: " + e.getMessage().replace(file + ": ", ""));
        }
        return out;
    }

    /** A run directory: who holds its lock, what score4j wrote there, its checkpoints. */
    public static List<String> runDirectory(Path dir) {
        List<String> out = new ArrayList<>();
        out.add(LABEL.formatted("run directory") + dir);
        out.add(LABEL.formatted("lock") + lockState(dir.resolve(RunDirectory.LOCK)));
        Path manifest = dir.resolve(RunDirectory.MANIFEST);
        try {
            long files = Files.isRegularFile(manifest) ? Files.lines(manifest).filter(l -> !l.isBlank()).count() : 0;
            out.add(LABEL.formatted("manifest") + (files == 0 ? "none (" + RunDirectory.MANIFEST + " absent or empty: --force removes "
                    + "nothing here)" : files + " files written by score4j, listed in " + RunDirectory.MANIFEST
                    + " (only these are removed by --force)"));
        } catch (IOException | java.io.UncheckedIOException e) {
            out.add(LABEL.formatted("manifest") + "unreadable: " + e.getMessage());
        }
        List<Path> checkpoints = Checkpoints.list(dir);
        if (checkpoints.isEmpty()) {
            out.add(LABEL.formatted("checkpoints") + "none");
        }
        for (Path c : checkpoints) {
            String state;
            try {
                state = "step " + Checkpoints.read(c, MemoryBudget.bytes()).step() + ", reads back";
            } catch (UserError e) {
                state = "unreadable: " + e.getMessage();
            }
            out.add(LABEL.formatted("checkpoint") + dir.relativize(c) + " (" + state + ")");
        }
        return out;
    }

    /** Whether a lock file is held now, by whom it says, without keeping it. */
    private static String lockState(Path lockFile) {
        if (!Files.exists(lockFile)) {
            return "free (no " + RunDirectory.LOCK + " yet)";
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            String holder = RunDirectory.recordedHolder(channel);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                return "held by process " + holder + " (a second writer is refused)";
            }
            lock.release();
            return "free" + (holder.isEmpty() ? "" : " (last held by process " + holder + ")");
        } catch (IOException e) {
            return "cannot be checked: " + e.getMessage();
        }
    }
}
