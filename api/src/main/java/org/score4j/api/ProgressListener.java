package org.score4j.api;

/**
 * Receives progress of long work (training steps, sampler steps). Called from the working thread;
 * implementations must be cheap.
 */
@FunctionalInterface
public interface ProgressListener {

    /** Does nothing. */
    ProgressListener NONE = (done, total) -> { };

    /**
     * @param done  units of work finished so far, 0 ≤ done ≤ total
     * @param total units of work in all (constant during one piece of work)
     */
    void progress(long done, long total);
}
