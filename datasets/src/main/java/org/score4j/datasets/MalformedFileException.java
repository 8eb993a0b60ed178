package org.score4j.datasets;

/** A data file that cannot be used: the message names the file and, where it applies, the line or the byte count. */
public final class MalformedFileException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedFileException(String message) {
        super(message);
    }
}
