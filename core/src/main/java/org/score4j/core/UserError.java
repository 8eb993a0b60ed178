package org.score4j.core;

/**
 * A mistake the user can fix (bad configuration, missing or malformed file, unknown plugin), a run that cannot go on
 * (divergence), or a resource the run cannot have (a busy run directory, a full disk). Printed as its message alone,
 * never as a stack trace; {@link #exitCode()} is the command's exit status.
 */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit code of a run that failed (diverged, ran out of memory, a study cell failed). */
    public static final int FAILED = 1;
    /** Exit code of configuration, usage and input mistakes. */
    public static final int USAGE = 2;
    /** Exit code of a bug in score4j or a plugin ("internal error"). */
    public static final int INTERNAL = 70;
    /** Exit code of an input or output error the user did not cause by a setting: a full disk, a permission denied. */
    public static final int IO = 74;
    /** Exit code when another process holds the run directory. */
    public static final int BUSY = 75;

    private final int exitCode;

    public UserError(String message) {
        this(message, USAGE);
    }

    public UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public UserError(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /**
     * The error for an input or output failure on {@code file}, naming the reason as the system gives it (no space
     * left on device, permission denied, read-only file system) with exit code {@link #IO}.
     */
    public static UserError io(String doing, java.nio.file.Path file, java.io.IOException e) {
        String reason = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        String lower = reason.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("no space left")) {
            reason = "no space left on device (ENOSPC): free some space or write elsewhere with -o";
        } else if (lower.contains("disk quota")) {
            reason = "disk quota exceeded (EDQUOT)";
        } else if (lower.contains("read-only file system")) {
            reason = "read-only file system (EROFS)";
        } else if (lower.contains("permission denied") || lower.contains("access denied")) {
            reason = "permission denied (EACCES)";
        }
        return new UserError("cannot " + doing + " " + file + ": " + reason, IO, e);
    }
}
