package org.score4j.datasets;

/** A data file that cannot be used: the message names the file and, where it applies, the line or the byte count. */
public final class MalformedFileException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedFileException(String message) {
        super(message);
    }

    /** The most bytes score4j reads from one data file (or decompresses from it). */
    static final long MAX_BYTES = 1L << 30;

    /**
     * The bytes of a data file, or this exception saying that it does not exist, is not a regular file (a FIFO or a
     * device is never read), is larger than {@link #MAX_BYTES}, or cannot be read.
     */
    static byte[] readAll(java.nio.file.Path file) throws MalformedFileException {
        try {
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw new MalformedFileException(java.nio.file.Files.exists(file) ? file
                        + " is not a regular file (a directory, device or pipe is never read as data)"
                        : "file " + file + " does not exist");
            }
            long size = java.nio.file.Files.size(file);
            if (size > MAX_BYTES) {
                throw new MalformedFileException(file + " has " + size + " bytes, more than the " + MAX_BYTES
                        + " bytes score4j reads from one data file");
            }
            return java.nio.file.Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new MalformedFileException("file " + file + " does not exist");
        } catch (java.io.IOException e) {
            throw new MalformedFileException("file " + file + " cannot be read: " + e.getMessage());
        }
    }
}
