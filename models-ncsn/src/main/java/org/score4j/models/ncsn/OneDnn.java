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

    /** Runs {@code primitive} on {@code args} and waits for it: every score4j call of oneDNN is synchronous. */
    static void execute(org.bytedeco.dnnl.stream stream, org.bytedeco.dnnl.primitive primitive,
                        org.bytedeco.dnnl.IntMemoryMap args) {
        primitive.execute(stream, args);
        stream._wait();
    }

    /** A memory object of this layout without data: every call sets its data handle first. */
    static org.bytedeco.dnnl.memory handle(org.bytedeco.dnnl.memory.desc layout) {
        return new org.bytedeco.dnnl.memory(layout, engine(), (org.bytedeco.javacpp.Pointer) null);
    }

    static engine engine() {
        if (ENGINE == null) {
            throw new IllegalStateException("oneDNN's natives did not load on this machine");
        }
        return ENGINE;
    }
}
