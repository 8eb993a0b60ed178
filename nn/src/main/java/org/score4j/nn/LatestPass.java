package org.score4j.nn;

import java.util.Objects;

/**
 * Which of a model's training passes may still run its backward pass: the latest, once. A model {@link #begin}s each
 * pass it returns from {@code forward}, {@link #end}s the current one when something it kept becomes stale (new
 * parameters, another pass through its work buffers), and a pass {@link #use}s its turn as its backward pass starts.
 */
public final class LatestPass {
    private final String model;
    private final String invalidatedBy;
    private Object current;

    /**
     * @param model         the model's name, for messages
     * @param invalidatedBy the calls that end a pass, for messages (e.g. "the next forward or setParameters")
     */
    public LatestPass(String model, String invalidatedBy) {
        this.model = Objects.requireNonNull(model, "model");
        this.invalidatedBy = Objects.requireNonNull(invalidatedBy, "invalidatedBy");
    }

    /** {@code pass} is now the one whose backward pass may run; returns it. */
    public <P> P begin(P pass) {
        current = Objects.requireNonNull(pass, "pass");
        return pass;
    }

    /** No pass may run its backward pass any more. */
    public void end() {
        current = null;
    }

    /** Refuses {@code pass} unless it is the latest pass and has not taken its turn. */
    public void requireTurn(Object pass) {
        if (current != pass || pass == null) {
            throw new IllegalStateException(model + ": this training pass is over (backward runs once, before "
                    + invalidatedBy + ")");
        }
    }

    /** Takes {@code pass}'s turn (refused as {@link #requireTurn} refuses). */
    public void use(Object pass) {
        requireTurn(pass);
        current = null;
    }
}
