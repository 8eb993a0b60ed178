package org.score4j.models.ncsn;

import org.bytedeco.dnnl.engine;

/** oneDNN's CPU engine, loaded on first use; {@link #available} says whether its natives load on this machine. */
final class OneDnn {
    private static final engine ENGINE = create();

    private OneDnn() {
    }

    private static engine create() {
        try {
            return new engine(engine.kind.cpu, 0);
        } catch (Throwable notHere) {
            return null;
        }
    }

    static boolean available() {
        return ENGINE != null;
    }

    static engine engine() {
        if (ENGINE == null) {
            throw new IllegalStateException("oneDNN's natives did not load on this machine");
        }
        return ENGINE;
    }
}
