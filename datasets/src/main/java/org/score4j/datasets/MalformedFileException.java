package org.score4j.datasets;

/** A data file that cannot be used: the message names the file and, where it applies, the line or the byte count. */
public final class MalformedFileException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedFileException(String message) {
        super(message);
    }

    /** The bytes of a data file, or this exception saying that it does not exist or cannot be read. */
    static byte[] readAll(java.nio.file.Path file) throws MalformedFileException {
        try {
            return java.nio.file.Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new MalformedFileException("file " + file + " does not exist");
        } catch (java.io.IOException e) {
            throw new MalformedFileException("file " + file + " cannot be read: " + e.getMessage());
        }
    }
}
