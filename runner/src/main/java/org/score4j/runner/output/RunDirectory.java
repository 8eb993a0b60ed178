package org.score4j.runner.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.stream.Stream;
import org.score4j.runner.UserError;

/** The output directory of one run; refuses to reuse a directory that already holds a run unless forced. */
public final class RunDirectory {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path path;

    private RunDirectory(Path path) {
        this.path = path;
    }

    /**
     * Creates (or, with {@code force}, reuses) {@code path}.
     *
     * @throws UserError if it holds files and {@code force} is false, or cannot be created
     */
    public static RunDirectory create(Path path, boolean force) {
        Objects.requireNonNull(path, "path");
        try {
            if (Files.isDirectory(path) && !force) {
                try (Stream<Path> s = Files.list(path)) {
                    if (s.findAny().isPresent()) {
                        throw new UserError("output directory " + path + " is not empty; choose another with -o "
                                + "or pass --force to write into it");
                    }
                }
            }
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UserError("cannot create output directory " + path + ": " + e.getMessage());
        }
        return new RunDirectory(path);
    }

    /**
     * An existing run directory, written into again (a resumed run).
     *
     * @throws UserError if it is not a directory
     */
    public static RunDirectory existing(Path path) {
        if (!Files.isDirectory(path)) {
            throw new UserError(path + " is not a directory");
        }
        return new RunDirectory(path);
    }

    public Path path() {
        return path;
    }

    public Path resolve(String name) {
        return path.resolve(name);
    }

    /** Writes text through a temporary file and a rename. */
    public void writeText(String name, String text) {
        try {
            Path temp = path.resolve(name + ".tmp");
            Files.writeString(temp, text);
            Files.move(temp, path.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path.resolve(name), e);
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
}
