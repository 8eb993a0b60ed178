package org.score4j.runner.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch side of the benchmark: {@code torch_peer.py} (shipped in this jar) run by a Python that has torch
 * (Debian's {@code python3-torch}), one process per workload, with the thread count the score4j side used.
 */
final class TorchPeer {
    private static final String SCRIPT = "torch_peer.py";

    /** Debian's OpenBLAS built on OpenMP, the threading PyTorch itself uses. */
    static final Path DEBIAN_OPENMP_BLAS = Path.of("/usr/lib/x86_64-linux-gnu/openblas-openmp");

    private final String python;
    private final Path script;
    private Path blasDirectory;

    private TorchPeer(String python, Path script) {
        this.python = python;
        this.script = script;
    }

    /**
     * Which BLAS the peer loads: "system" (the libblas.so.3 the system selects), "openmp" (Debian's OpenMP build of
     * OpenBLAS, where installed; else the system's) or a directory holding a libblas.so.3, put first on the library
     * path. Debian's python3-torch links whichever libblas.so.3 the alternatives system selects, and with both of
     * Debian's OpenBLAS builds installed that is the pthreads build, whose threads spin beside PyTorch's OpenMP
     * threads; docs/speed-results.md has the measurement.
     *
     * @return the directory put first on the library path, or null
     */
    Path useBlas(String choice) {
        blasDirectory = switch (choice) {
            case "system" -> null;
            case "openmp" -> Files.isRegularFile(DEBIAN_OPENMP_BLAS.resolve("libblas.so.3")) ? DEBIAN_OPENMP_BLAS : null;
            default -> {
                Path dir = Path.of(choice);
                if (!Files.isRegularFile(dir.resolve("libblas.so.3"))) {
                    throw new org.score4j.core.UserError("--peer-blas " + choice + ": expected system, openmp or a "
                            + "directory holding libblas.so.3");
                }
                yield dir;
            }
        };
        return blasDirectory;
    }

    /**
     * A peer ready to run, or why there is none.
     *
     * @param python the interpreter to use, or null for Debian's /usr/bin/python3 (where python3-torch installs)
     *               and then python3 on the PATH
     */
    static Either locate(String python, Path workDir) {
        List<String> candidates = python != null ? List.of(python) : List.of("/usr/bin/python3", "python3");
        String tried = "";
        for (String candidate : candidates) {
            Optional<String> version = torchVersion(candidate);
            if (version.isPresent()) {
                return new Either(new TorchPeer(candidate, writeScript(workDir)), version.get(), null);
            }
            tried += (tried.isEmpty() ? "" : ", ") + candidate;
        }
        return new Either(null, null, "no Python with torch (tried " + tried + "); install Debian's python3-torch "
                + "(apt-get install python3-torch libopenblas0-openmp) or pass --python, or use --no-peer");
    }

    /** A located peer with its torch version, or the reason there is none. */
    record Either(TorchPeer peer, String version, String problem) {
    }

    /** Runs the workload described by {@code spec}; the parsed result line. */
    Map<String, Object> run(Map<String, Object> spec, int threads, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(python, script.toString(), new ObjectMapper().writeValueAsString(spec));
        // PyTorch as its users run it: the thread count set the usual way (OMP_NUM_THREADS, which OpenBLAS reads too,
        // and torch.set_num_threads in the script) and libgomp's own waiting, not the launcher's settings for
        // score4j's threads (with OMP_WAIT_POLICY=PASSIVE its batch-256 MLP training ran at about 0.6x its default
        // speed). Anything else in the environment (OPENBLAS_CORETYPE, say) reaches both sides; the header names it.
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        if (blasDirectory != null) {
            String path = pb.environment().get("LD_LIBRARY_PATH");
            pb.environment().put("LD_LIBRARY_PATH", blasDirectory + (path == null || path.isEmpty() ? "" : ":" + path));
        }
        pb.environment().remove("OMP_WAIT_POLICY");
        pb.environment().remove("GOMP_SPINCOUNT");
        pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("the PyTorch peer did not finish in 30 minutes");
        }
        String last = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
        if (p.exitValue() != 0 || last == null) {
            throw new IOException("the PyTorch peer exited with " + p.exitValue() + " (see " + log + ")");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = new ObjectMapper().readValue(last, Map.class);
        return result;
    }

    private static Optional<String> torchVersion(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch; print(torch.__version__)")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Path writeScript(Path workDir) {
        try (InputStream in = Objects.requireNonNull(TorchPeer.class.getResourceAsStream(SCRIPT), SCRIPT)) {
            Path target = workDir.resolve(SCRIPT);
            Files.write(target, in.readAllBytes());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + SCRIPT + " into " + workDir, e);
        }
    }
}
