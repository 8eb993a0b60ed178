package org.score4j.runner;

/**
 * A mistake the user can fix (bad configuration, missing file, unknown plugin) or a run that cannot
 * go on (divergence). Printed as its message alone, never as a stack trace.
 */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit code of configuration and input mistakes. */
    public static final int USAGE = 2;
    /** Exit code of a run that failed (diverged). */
    public static final int FAILED = 1;

    private final int exitCode;

    public UserError(String message) {
        this(message, USAGE);
    }

    public UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
