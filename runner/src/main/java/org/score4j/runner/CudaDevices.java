package org.score4j.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The GPUs the CUDA backend would use, and whether DL4J 1.0.0-M2.1's CUDA build can run on them: its kernels are
 * compiled for compute capability 3.7 to 8.6 without PTX, so 8.x GPUs run the 8.0/8.6 binaries and 9.0 (Hopper:
 * H100, H200) or newer cannot run at all. Checked at start-up so that such a GPU gets a message instead of a crash in
 * native code.
 */
public final class CudaDevices {
    private static final String CUDA_BACKEND = "org/nd4j/linalg/jcublas/JCublasBackend.class";
    private static final java.util.regex.Pattern MISSING_LIBRARY =
            java.util.regex.Pattern.compile("[\\w.+-]+\\.so[\\w.]*: cannot open shared object file");

    private CudaDevices() {
    }

    /** One GPU as {@code nvidia-smi} lists it. */
    public record Gpu(int index, String uuid, String name, int major, int minor) {
        String capability() {
            return major + "." + minor;
        }

        boolean supported() {
            return (major > 3 || major == 3 && minor >= 7) && major <= 8;
        }
    }

    /** Whether this build carries the CUDA backend (the {@code cuda} Maven profile). */
    public static boolean cudaBackend() {
        return CudaDevices.class.getClassLoader().getResource(CUDA_BACKEND) != null;
    }

    /**
     * Parses {@code nvidia-smi --query-gpu=index,uuid,name,compute_cap --format=csv,noheader}; lines that do not
     * parse (an old driver without compute_cap) are skipped.
     */
    public static List<Gpu> parse(String csv) {
        List<Gpu> gpus = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            String[] f = line.split(",");
            if (f.length < 4) {
                continue;
            }
            String[] cc = f[f.length - 1].strip().split("\\.");
            try {
                String name = String.join(",", java.util.Arrays.copyOfRange(f, 2, f.length - 1)).strip();
                gpus.add(new Gpu(Integer.parseInt(f[0].strip()), f[1].strip(), name, Integer.parseInt(cc[0]),
                        cc.length > 1 ? Integer.parseInt(cc[1]) : 0));
            } catch (NumberFormatException e) {
                // not a GPU line
            }
        }
        return gpus;
    }

    /**
     * Why the CUDA backend cannot run on the visible GPUs, or empty if it can (or if nothing is known).
     *
     * @param visible the value of CUDA_VISIBLE_DEVICES (indices or UUIDs), or null for all
     */
    public static Optional<String> unsupported(List<Gpu> gpus, String visible) {
        List<Gpu> used = visibleOf(gpus, visible);
        List<Gpu> bad = used.stream().filter(g -> !g.supported()).toList();
        if (bad.isEmpty()) {
            return Optional.empty();
        }
        String which = bad.stream().map(g -> "GPU " + g.index() + " (" + g.name() + ") has compute capability "
                + g.capability()).collect(Collectors.joining("; "));
        List<Gpu> good = gpus.stream().filter(Gpu::supported).toList();
        return Optional.of("this is the CUDA build of score4j (DL4J 1.0.0-M2.1, nd4j-cuda-11.6), whose kernels run on "
                + "GPUs of compute capability 3.7 to 8.x only; " + which + ". Use the CPU build (mvn install without "
                + "-Pcuda)" + (good.isEmpty() ? "" : " or select a supported GPU with CUDA_VISIBLE_DEVICES="
                + good.stream().map(g -> Integer.toString(g.index())).collect(Collectors.joining(","))) + ".");
    }

    /**
     * Why the CUDA build cannot start here (no NVIDIA driver or GPU: ND4J's CUDA backend then reports itself
     * unavailable), or empty once the backend is up. Starts the backend.
     */
    public static Optional<String> startProblem(List<Gpu> gpus) {
        // ND4J prints a stack trace and a warning of its own while it probes the CUDA libraries; keep them, and quote
        // the line that says what is missing.
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream probe = new java.io.ByteArrayOutputStream();
        Throwable failure = null;
        synchronized (System.class) {
            System.setErr(new java.io.PrintStream(probe, true, StandardCharsets.UTF_8));
            try {
                org.nd4j.linalg.factory.Nd4j.getBackend();
            } catch (RuntimeException | LinkageError e) {
                failure = e;
            } finally {
                System.setErr(err);
            }
        }
        if (failure == null) {
            return Optional.empty();
        }
        java.util.regex.Matcher library = MISSING_LIBRARY.matcher(probe.toString(StandardCharsets.UTF_8));
        String missing = library.find() ? library.group() : failure.getClass().getSimpleName();
        return Optional.of("this is the CUDA build of score4j, but ND4J's CUDA backend could not start (" + missing + ")"
                + (gpus.isEmpty() ? "; no NVIDIA GPU was found (nvidia-smi lists none)" : "") + ". Run it where an "
                + "NVIDIA GPU of compute capability 3.7 to 8.x and its driver are present, or use the CPU build "
                + "(mvn install without -Pcuda).");
    }

    /** The GPUs nvidia-smi reports, or an empty list if it is not there or says nothing usable. */
    public static List<Gpu> query() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=index,uuid,name,compute_cap",
                    "--format=csv,noheader").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return List.of();
            }
            return p.exitValue() == 0 ? parse(out) : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static List<Gpu> visibleOf(List<Gpu> gpus, String visible) {
        if (visible == null || visible.isBlank()) {
            return gpus;
        }
        Set<String> ids = java.util.Arrays.stream(visible.split(",")).map(String::strip).collect(Collectors.toSet());
        return gpus.stream().filter(g -> ids.contains(Integer.toString(g.index())) || ids.contains(g.uuid())
                || ids.stream().anyMatch(id -> id.startsWith("GPU-") && g.uuid().startsWith(id))).toList();
    }
}
