package org.score4j.nn.layers;

import org.score4j.nn.Layer;
import org.score4j.nn.Planes;

/**
 * Activations that keep the last pass's x by reference (the caller's maps, unchanged until the backward passes are
 * done) and no native memory of their own: what a layer whose backward pass needs only its input saves.
 */
public abstract class InputActivations implements Layer.Activations {
    private final int batch;
    /** The last forward pass's x. */
    Planes x;

    InputActivations(int batch) {
        this.batch = batch;
    }

    @Override
    public final int batch() {
        return batch;
    }

    @Override
    public final long floats() {
        return 0;
    }

    @Override
    public void release() {
        x = null;
    }
}
