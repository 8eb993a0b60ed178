package org.score4j.nn.cpu;

import org.bytedeco.dnnl.engine;

/** oneDNN's CPU engine, loaded on first use; {@link #available} says whether its natives load on this machine. */
public final class OneDnn {
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

    public static boolean available() {
        return ENGINE != null;
    }

    /** Runs {@code primitive} on {@code args} and waits for it: every score4j call of oneDNN is synchronous. */
    public static void execute(org.bytedeco.dnnl.stream stream, org.bytedeco.dnnl.primitive primitive,
                        org.bytedeco.dnnl.IntMemoryMap args) {
        primitive.execute(stream, args);
        stream._wait();
    }

    /**
     * Runs {@code work} with oneDNN's primitives on the calling thread alone: OpenMP's thread count for this thread
     * is 1 meanwhile (oneDNN reads it at every call) and is restored after. For products too small to share: waking
     * the other threads for each of a small layer's primitives cost more than it saved, and made the time of a
     * batch-256 MLP step vary widely between runs on two cores (docs/speed.md). Each value is then summed on one
     * thread, as it is in oneDNN's own split of these shapes, so the results are the same.
     */
    public static <T> T onOneThread(java.util.function.Supplier<T> work) {
        org.nd4j.nativeblas.NativeOps ops = Threads.OPS;
        int threads = ops.ompGetMaxThreads();
        if (threads <= 1) {
            return work.get();
        }
        ops.setOmpNumThreads(1);
        try {
            return work.get();
        } finally {
            ops.setOmpNumThreads(threads);
        }
    }

    /** libnd4j's calls into the OpenMP runtime that oneDNN shares, after ND4J has loaded its backend. */
    private static final class Threads {
        private static final org.nd4j.nativeblas.NativeOps OPS;

        static {
            org.nd4j.linalg.factory.Nd4j.getBackend();
            OPS = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps();
        }
    }

    /** A memory object of this layout without data: every call sets its data handle first. */
    public static org.bytedeco.dnnl.memory handle(org.bytedeco.dnnl.memory.desc layout) {
        return new org.bytedeco.dnnl.memory(layout, engine(), (org.bytedeco.javacpp.Pointer) null);
    }

    public static engine engine() {
        if (ENGINE == null) {
            throw new IllegalStateException("oneDNN's natives did not load on this machine");
        }
        return ENGINE;
    }
}
