package org.score4j.runner.bench;

import java.lang.reflect.Constructor;
import java.util.Locale;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The 1024³ single-precision product as a oneDNN matmul primitive, the library score4j's dense layers and convolutions
 * run on: with ND4J's OpenBLAS product it bounds what this side's products can reach. oneDNN's Java API comes with
 * the model plugins, not with the runner, so it is reached by reflection; without it the peak is absent.
 */
final class OneDnnPeak {
    private static final String DNNL = "org.bytedeco.dnnl.";

    private OneDnnPeak() {
    }

    /** The best of ten 1024³ products after three warm-ups, in FLOP/s; null where oneDNN is not on the class path. */
    static Double flops() {
        try {
            return measure();
        } catch (Throwable notHere) {
            return null;
        }
    }

    /** oneDNN's version and the instruction set its kernels use here ("2.5.2", "avx512_core_bf16"), or "?". */
    static String[] version() {
        try {
            Class<?> global = type("global.dnnl");
            Object v = global.getMethod("dnnl_version").invoke(null);
            String version = String.format(Locale.ROOT, "%s.%s.%s", v.getClass().getMethod("major").invoke(v),
                    v.getClass().getMethod("minor").invoke(v), v.getClass().getMethod("patch").invoke(v));
            return new String[] {version, String.valueOf(global.getMethod("get_effective_cpu_isa").invoke(null))};
        } catch (Throwable notHere) {
            return new String[] {"?", "?"};
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static double measure() throws Exception {
        int n = 1024;
        Class<?> engineType = type("engine");
        Class<?> kind = type("engine$kind");
        Object cpu = engineType.getConstructor(kind, long.class).newInstance(Enum.valueOf((Class) kind, "cpu"), 0L);
        Object stream = type("stream").getConstructor(engineType).newInstance(cpu);
        Class<?> descType = type("memory$desc");
        Class<?> dataType = type("memory$data_type");
        Class<?> formatTag = type("memory$format_tag");
        Object desc = descType.getConstructor(long[].class, dataType, formatTag).newInstance(new long[] {n, n},
                Enum.valueOf((Class) dataType, "f32"), Enum.valueOf((Class) formatTag, "ab"));
        Class<?> matmulDesc = type("matmul$desc");
        Class<?> primitiveDesc = type("matmul$primitive_desc");
        Object product = type("matmul").getConstructor(primitiveDesc).newInstance(primitiveDesc
                .getConstructor(matmulDesc, engineType)
                .newInstance(matmulDesc.getConstructor(descType, descType, descType).newInstance(desc, desc, desc), cpu));
        Class<?> memoryType = type("memory");
        Constructor<?> memory = memoryType.getConstructor(descType, engineType, Pointer.class);
        Class<?> mapType = type("IntMemoryMap");
        Object args = mapType.getConstructor().newInstance();
        var put = mapType.getMethod("put", int.class, memoryType);
        var global = type("global.dnnl");
        FloatPointer[] buffers = new FloatPointer[3];
        String[] roles = {"DNNL_ARG_SRC", "DNNL_ARG_WEIGHTS", "DNNL_ARG_DST"};
        java.util.Random random = new java.util.Random(1);
        for (int k = 0; k < 3; k++) {
            buffers[k] = new FloatPointer((long) n * n);
            for (long i = 0; i < (long) n * n; i++) {
                buffers[k].put(i, random.nextFloat());
            }
            put.invoke(args, global.getField(roles[k]).getInt(null), memory.newInstance(desc, cpu, buffers[k]));
        }
        var execute = type("primitive").getMethod("execute", type("stream"), mapType);
        var await = type("stream").getMethod("_wait");
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 13; i++) {
            long t = System.nanoTime();
            execute.invoke(product, stream, args);
            await.invoke(stream);
            if (i >= 3) {
                best = Math.min(best, (System.nanoTime() - t) / 1e9);
            }
        }
        for (FloatPointer b : buffers) {
            b.close();
        }
        return 2.0 * n * n * n / best;
    }

    private static Class<?> type(String name) throws ClassNotFoundException {
        return Class.forName(DNNL + name);
    }
}
