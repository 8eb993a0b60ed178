package org.score4j.runner.bench;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a benchmark side runs on, for the table's header: the CPU (model and the vector extensions that decide which
 * kernels BLAS libraries pick), the BLAS library with the kernel set ("core") it chose at run time, oneDNN's version
 * and instruction set, and the threading variables in force. OpenBLAS chooses its kernels per CPU when it loads
 * (DYNAMIC_ARCH), and {@code OPENBLAS_CORETYPE} overrides the choice: a Haswell core on an AVX-512 CPU halves the
 * sgemm rate, so the header says which core each side runs.
 */
final class BenchSystem {
    /** The environment variables that change how BLAS and OpenMP libraries run. */
    private static final List<String> THREADING_PREFIXES = List.of("OPENBLAS_", "GOTO", "OMP_", "GOMP_", "KMP_", "MKL_",
            "DNNL_", "ONEDNN_", "ATEN_", "TORCH_");
    /** The CPU flags the header names when present. */
    private static final List<String> FLAGS = List.of("sse4_2", "avx", "fma", "avx2", "avx512f", "avx512dq", "avx512bw",
            "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16", "avx_vnni", "amx_tile", "amx_bf16");

    private BenchSystem() {
    }

    /** The CPU: model name, family and model numbers, the listed flags it has, and its logical processors. */
    static Map<String, Object> cpu() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", System.getProperty("os.arch"));
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            int processors = 0;
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                if (key.equals("processor")) {
                    processors++;
                }
                if (processors > 1) {
                    continue;
                }
                switch (key) {
                    case "model name" -> m.put("model", value);
                    case "vendor_id" -> m.put("vendor", value);
                    case "cpu family" -> m.put("family", value);
                    case "model" -> m.put("model_number", value);
                    case "flags" -> {
                        List<String> have = List.of(value.split("\\s+"));
                        m.put("flags", FLAGS.stream().filter(have::contains).toList());
                    }
                    default -> { }
                }
            }
            m.put("processors", processors);
        } catch (IOException | RuntimeException e) {
            m.put("processors", Runtime.getRuntime().availableProcessors());
        }
        return m;
    }

    /** The variables of {@link #THREADING_PREFIXES} in this process's environment, sorted. */
    static Map<String, String> threadingEnvironment(Map<String, String> env) {
        Map<String, String> m = new TreeMap<>();
        env.forEach((k, v) -> {
            if (THREADING_PREFIXES.stream().anyMatch(k::startsWith)) {
                m.put(k, v);
            }
        });
        return m;
    }

    /**
     * This JVM's side: ND4J's BLAS vendor, the OpenBLAS ND4J loaded with its run-time core and build configuration,
     * oneDNN's version and the instruction set its kernels use, whether the vector API is on, the thread variables.
     */
    static Map<String, Object> score4jSide() {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            m.put("blas_vendor", Nd4j.factory().blas().getBlasVendor().toString());
        } catch (RuntimeException | LinkageError e) {
            m.put("blas_vendor", "?");
        }
        Optional<String> library = loadedLibrary("libopenblas.so");
        m.put("blas_library", library.orElse("?"));
        m.put("openblas_core", library.flatMap(l -> nativeString(l, "openblas_get_corename")).orElse("?"));
        m.put("openblas_config", library.flatMap(l -> nativeString(l, "openblas_get_config")).orElse("?"));
        String[] oneDnn = OneDnnPeak.version();
        m.put("onednn", oneDnn[0]);
        m.put("onednn_isa", oneDnn[1]);
        m.put("vector_api", org.score4j.nn.cpu.FusedKernels.available());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("env", threadingEnvironment(System.getenv()));
        return m;
    }

    /** The path of the first library mapped into this process whose file name starts with {@code prefix}. */
    static Optional<String> loadedLibrary(String prefix) {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .filter(p -> p.startsWith("/") && Path.of(p).getFileName().toString().startsWith(prefix))
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Calls {@code const char *symbol(void)} in {@code library} (already loaded) through the JDK's incubating foreign
     * linker, by reflection so that the runner compiles and runs without it: the benchmark's worker JVMs are started
     * with {@code --add-modules=jdk.incubator.foreign --enable-native-access=ALL-UNNAMED}; elsewhere this is empty.
     * JavaCPP's OpenBLAS preset declares no {@code openblas_get_corename}, and its {@code OPENBLAS_CHAR_CORENAME} is
     * the build's target, not the kernels chosen at run time.
     */
    static Optional<String> nativeString(String library, String symbol) {
        try {
            System.load(library);
            Class<?> lookupType = Class.forName("jdk.incubator.foreign.SymbolLookup");
            Object lookup = lookupType.getMethod("loaderLookup").invoke(null);
            Optional<?> address = (Optional<?>) lookupType.getMethod("lookup", String.class).invoke(lookup, symbol);
            if (address.isEmpty()) {
                return Optional.empty();
            }
            Class<?> linkerType = Class.forName("jdk.incubator.foreign.CLinker");
            Class<?> memoryAddress = Class.forName("jdk.incubator.foreign.MemoryAddress");
            Class<?> layout = Class.forName("jdk.incubator.foreign.MemoryLayout");
            Class<?> descriptor = Class.forName("jdk.incubator.foreign.FunctionDescriptor");
            Object pointer = linkerType.getField("C_POINTER").get(null);
            Object none = Array.newInstance(layout, 0);
            Object signature = descriptor.getMethod("of", layout, none.getClass()).invoke(null, pointer, none);
            Object linker = linkerType.getMethod("getInstance").invoke(null);
            MethodHandle call = (MethodHandle) linkerType.getMethod("downcallHandle",
                            Class.forName("jdk.incubator.foreign.Addressable"), MethodType.class, descriptor)
                    .invoke(linker, address.get(), MethodType.methodType(memoryAddress), signature);
            Object result = call.invoke();
            return Optional.of(((String) linkerType.getMethod("toJavaString", memoryAddress).invoke(null, result)).strip());
        } catch (Throwable unavailable) {
            return Optional.empty();
        }
    }

    /** The JVM options that let {@link #nativeString} work in a worker, where this JDK has the module. */
    static List<String> foreignOptions() {
        List<String> options = new ArrayList<>();
        if (ModuleLayer.boot().findModule("jdk.incubator.foreign").isPresent()
                || java.lang.module.ModuleFinder.ofSystem().find("jdk.incubator.foreign").isPresent()) {
            options.add("--add-modules=jdk.incubator.foreign");
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        return options;
    }

    /** The CPU flags as the header shows them: those present, and "no AVX-512" where avx512f is absent. */
    @SuppressWarnings("unchecked")
    static String flags(Map<String, Object> cpu) {
        List<String> flags = (List<String>) cpu.getOrDefault("flags", List.of());
        String s = String.join(" ", flags);
        return flags.contains("avx512f") ? s : s + " (no AVX-512)";
    }

    /** "Intel(R) Xeon(R) Processor (family 6, model 167)". */
    static String cpuName(Map<String, Object> cpu) {
        return cpu.get("family") == null ? String.valueOf(cpu.get("model"))
                : String.format(Locale.ROOT, "%s (%s family %s, model %s)", cpu.get("model"), cpu.get("vendor"),
                        cpu.get("family"), cpu.get("model_number"));
    }
}
