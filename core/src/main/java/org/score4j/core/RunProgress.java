package org.score4j.core;

import org.score4j.api.ProgressListener;

/**
 * Receives the progress of a run's long work — training, sampling, likelihoods, study cells — and its notes (a resumed
 * run's checkpoint, a skipped file). Called from the working threads; implementations must be cheap and thread-safe.
 * The command line's progress bar is one; a program passes its own, or {@link #NONE}.
 */
@FunctionalInterface
public interface RunProgress {

    /** Ignores everything. */
    RunProgress NONE = (task, done, total, status) -> { };

    /**
     * @param task   what is being done: {@code train}, {@code sample}, {@code likelihood}, …
     * @param done   units finished, 0 ≤ done ≤ total
     * @param total  units in all
     * @param status a short text to show beside the count (e.g. {@code loss 0.2052}), or null
     */
    void progress(String task, long done, long total, String status);

    /** A line worth telling the user ("resuming from step 2000"). */
    default void note(String message) {
    }

    /** A {@link ProgressListener} reporting as {@code task}. */
    default ProgressListener listener(String task) {
        return (done, total) -> progress(task, done, total, null);
    }
}
