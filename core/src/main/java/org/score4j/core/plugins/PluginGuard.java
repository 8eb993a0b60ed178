package org.score4j.core.plugins;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.score4j.core.UserError;

/**
 * Runs plugin code that the host waits for (discovery, a factory's {@code create}) under a watchdog: on a thread of
 * its own, given at most {@link #timeoutSeconds()} seconds, so a plugin whose constructor or static initialiser spins
 * stops the command with a message naming it instead of hanging it. A plugin's exceptions pass through unchanged, cause
 * included.
 */
public final class PluginGuard {
    /** The environment variable that sets the watchdog's bound in seconds (default 60). */
    public static final String TIMEOUT_VARIABLE = "SCORE4J_PLUGIN_TIMEOUT";
    private static final long DEFAULT_SECONDS = 60;

    private PluginGuard() {
    }

    /** The bound, from {@link #TIMEOUT_VARIABLE} when it holds a positive number of seconds. */
    public static long timeoutSeconds() {
        String v = System.getenv(TIMEOUT_VARIABLE);
        try {
            long s = v == null ? DEFAULT_SECONDS : Long.parseLong(v.strip());
            return s > 0 ? s : DEFAULT_SECONDS;
        } catch (NumberFormatException e) {
            return DEFAULT_SECONDS;
        }
    }

    /**
     * Runs {@code work} and returns its result.
     *
     * @param what   what the plugin is doing, for the message ("creating the data set 'digits'")
     * @param source the plugin's jar or directory
     * @throws UserError when it takes longer than the bound
     */
    public static <T> T call(String what, String source, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread t = new Thread(task, "score4j-plugin");
        t.setDaemon(true);
        t.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        t.start();
        long seconds = timeoutSeconds();
        try {
            return task.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            t.interrupt();
            throw new UserError(what + " (" + source + ") did not finish within " + seconds + " s; the plugin may be "
                    + "stuck in a loop. Remove it from the plugin directory, or set " + TIMEOUT_VARIABLE
                    + " to wait longer.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while " + what);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** A throwable and its causes, each as "Type: message", joined by " ← caused by ": what a user needs to report. */
    public static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (b.length() > 0) {
                b.append(" ← caused by ");
            }
            b.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                b.append(": ").append(t.getMessage());
            }
        }
        return b.toString();
    }
}
