package org.score4j.core.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.score4j.core.UserError;

/**
 * The output directory of one run, held by one writer at a time.
 *
 * <ul>
 *   <li><b>One writer.</b> Opening takes an operating-system lock on {@value #LOCK} for as long as the directory is open
 *   (the whole command); a second writer — another process, or another task of this one — is refused at once with
 *   the holder's process id, host, command and start time. The lock dies with its process, so a killed run's
 *   directory is taken over without anything to clean up.</li>
 *   <li><b>A manifest.</b> Every file score4j writes is listed in {@value #MANIFEST}. {@code --force} removes only
 *   those files, never another's, and a file of another origin is never overwritten.</li>
 * </ul>
 */
public final class RunDirectory implements AutoCloseable {
    public static final String LOCK = ".score4j.lock";
    public static final String MANIFEST = ".score4j-files";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Set<String> owned;
    private final String prefix;

    private RunDirectory(Path path, FileChannel lockChannel, FileLock lock, Set<String> owned, String prefix) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.owned = owned;
        this.prefix = prefix;
    }

    /**
     * A view of this directory whose files are named {@code prefix + name}: a sampling run written into the directory
     * of the run it samples puts its files beside the training run's, never over them. The view shares this
     * directory's lock and manifest; closing it releases nothing.
     */
    public RunDirectory prefixed(String prefix) {
        return new RunDirectory(path, null, null, owned, this.prefix + prefix);
    }

    /**
     * Creates {@code path} (or, with {@code force}, reuses it after removing the files score4j wrote there) and locks
     * it.
     *
     * @param command what is writing, recorded in the lock ("score4j run")
     * @throws UserError if it holds files and {@code force} is false, cannot be created, or another writer holds it
     */
    public static RunDirectory create(Path path, boolean force, String command) {
        Objects.requireNonNull(path, "path");
        try {
            if (Files.exists(path) && !Files.isDirectory(path)) {
                throw new UserError("output directory " + path + " exists and is not a directory");
            }
            if (Files.isDirectory(path) && !force) {
                try (Stream<Path> s = Files.list(path)) {
                    if (s.anyMatch(p -> !p.getFileName().toString().equals(LOCK))) {
                        throw new UserError("output directory " + path + " is not empty; choose another with -o "
                                + "or pass --force to replace the files score4j wrote in it");
                    }
                }
            }
            Files.createDirectories(path);
        } catch (IOException e) {
            throw UserError.io("create output directory", path, e);
        }
        RunDirectory dir = open(path, command);
        if (force) {
            dir.removeOwnFiles();
        }
        return dir;
    }

    /**
     * An existing run directory, written into again (a resumed run, a study's model), locked.
     *
     * @throws UserError if it is not a directory or another writer holds it
     */
    public static RunDirectory existing(Path path, String command) {
        if (!Files.isDirectory(path)) {
            throw new UserError(path + " is not a directory");
        }
        return open(path, command);
    }

    private static RunDirectory open(Path path, String command) {
        Path lockFile = path.resolve(LOCK);
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw UserError.io("lock the run directory", path, e);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new UserError("run directory " + path + " is in use by another score4j" + (holder.isEmpty() ? ""
                        : " (" + holder + ")") + "; wait for it to finish or write elsewhere with -o", UserError.BUSY);
            }
            String me = ProcessHandle.current().pid() + "@" + host() + " " + command + " since " + Instant.now();
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new RunDirectory(path, channel, lock, readManifest(path), "");
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock goes with the channel
            }
            throw UserError.io("lock the run directory", path, e);
        }
    }

    private static String holder(FileChannel channel) {
        try {
            String s = recordedHolder(channel);
            return s.isEmpty() ? "" : "process " + s;
        } catch (IOException e) {
            return "";
        }
    }

    /** What the lock file says of its (last) holder: {@code pid@host command since time}, or empty. */
    public static String recordedHolder(FileChannel channel) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(512, channel.size()));
        channel.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static Set<String> readManifest(Path path) throws IOException {
        Path manifest = path.resolve(MANIFEST);
        Set<String> files = new LinkedHashSet<>();
        if (Files.isRegularFile(manifest) && Files.size(manifest) < (16 << 20)) {
            for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
                String name = line.strip();
                if (!name.isEmpty() && safeName(name)) {
                    files.add(name);
                }
            }
        }
        return files;
    }

    /** A manifest entry names a path inside the directory: relative, no "..". */
    private static boolean safeName(String name) {
        Path p = Path.of(name);
        return !p.isAbsolute() && p.normalize().equals(p) && !name.startsWith("..") && !name.contains("/../");
    }

    /** Removes the files the manifest lists (score4j's own, from earlier runs), nothing else. */
    private void removeOwnFiles() {
        try {
            for (String name : List.copyOf(owned)) {
                Path f = path.resolve(name);
                if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        || Files.isSymbolicLink(f)) {
                    Files.delete(f);
                }
            }
            owned.clear();
            writeManifest();
        } catch (IOException e) {
            throw UserError.io("clear the run directory", path, e);
        }
    }

    public Path path() {
        return path;
    }

    /** The path of {@code name} in this directory (with this view's prefix). */
    public Path resolve(String name) {
        return path.resolve(prefix + name);
    }

    /** Creates a sub-directory and returns it. */
    public Path createDirectories(String name) {
        try {
            return Files.createDirectories(path.resolve(name));
        } catch (IOException e) {
            throw UserError.io("create", path.resolve(name), e);
        }
    }

    /**
     * Records {@code file} (inside this directory) as score4j's before it is written, refusing to replace a file of
     * another origin.
     *
     * @throws UserError if a file of that name exists that score4j did not write
     */
    public synchronized void recordFile(Path file) {
        String name = path.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString();
        if (name.startsWith("..")) {
            throw new IllegalArgumentException(file + " is not inside " + path);
        }
        if (owned.contains(name)) {
            return;
        }
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new UserError("will not overwrite " + file + ": score4j did not write it (it is not in " + MANIFEST
                    + "); move it away or choose another output directory");
        }
        owned.add(name);
        try {
            writeManifest();
        } catch (IOException e) {
            throw UserError.io("write", path.resolve(MANIFEST), e);
        }
    }

    /** The path of a file score4j is about to write here, recorded in the manifest ({@link #recordFile}). */
    public Path file(String name) {
        Path f = resolve(name);
        recordFile(f);
        return f;
    }

    /** Whether score4j wrote {@code name} here. */
    public synchronized boolean owns(String name) {
        return owned.contains(name);
    }

    private void writeManifest() throws IOException {
        Path temp = path.resolve(MANIFEST + ".tmp");
        Files.write(temp, owned, StandardCharsets.UTF_8);
        Files.move(temp, path.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes text through a temporary file and a rename. */
    public void writeText(String name, String text) {
        Path target = resolve(name);
        recordFile(target);
        try {
            Path temp = resolve(name + ".tmp");
            Files.writeString(temp, text);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw UserError.io("write", target, e);
        }
    }

    /** Writes {@code value} as indented JSON. */
    public void writeJson(String name, Object value) {
        writeText(name, json(value));
    }

    /** {@code value} as indented JSON. */
    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a JSON file into a tree. */
    public static com.fasterxml.jackson.databind.JsonNode readJson(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    /** Releases the lock (a {@link #prefixed} view releases nothing). */
    @Override
    public void close() {
        if (lock == null) {
            return;
        }
        try {
            if (lock.isValid()) {
                lock.release();
            }
            lockChannel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        }
    }
}
