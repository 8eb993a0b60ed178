package org.score4j.api.io;

/** A table file that cannot be used: the message names the file and, where it applies, the line and column. */
public final class MalformedTableException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedTableException(String message) {
        super(message);
    }
}
