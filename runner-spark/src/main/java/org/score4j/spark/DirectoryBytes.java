package org.score4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The files under a directory as relative path → bytes, the form in which tasks and the driver exchange them. */
final class DirectoryBytes {
    private DirectoryBytes() {
    }

    /** Every regular file under {@code dir} (none if it does not exist), keyed by its path relative to {@code base}. */
    static Map<String, byte[]> read(Path base, Path dir) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                files.put(base.relativize(p).toString(), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return files;
    }

    /** Writes {@code files} under {@code base}, creating folders as needed. */
    static void write(Path base, Map<String, byte[]> files) {
        try {
            for (var f : files.entrySet()) {
                Path target = base.resolve(f.getKey()).normalize();
                if (!target.startsWith(base.normalize())) {
                    throw new IOException("refusing to write outside " + base + ": " + f.getKey());
                }
                Files.createDirectories(target.getParent());
                Files.write(target, f.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into " + base, e);
        }
    }

    /** Deletes {@code dir} and everything under it, if it exists. */
    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
