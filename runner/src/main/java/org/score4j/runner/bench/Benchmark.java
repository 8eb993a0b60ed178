package org.score4j.runner.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.score4j.core.UserError;
import org.score4j.core.output.Provenance;

/**
 * Runs workloads side by side: each in a fresh score4j JVM ({@link BenchWorker}) and then in a fresh PyTorch process
 * ({@link TorchPeer}) with the same thread count, so that peaks and warm-ups belong to one workload.
 */
public final class Benchmark {
    private final Path plugins;
    private final int threads;
    private final int repeats;
    private final boolean noPeer;
    private final String python;
    private final PrintStream progress;

    public Benchmark(Path plugins, int threads, int repeats, boolean noPeer, String python, PrintStream progress) {
        this.plugins = Objects.requireNonNull(plugins, "plugins");
        this.threads = threads;
        this.repeats = repeats;
        this.noPeer = noPeer;
        this.python = python;
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** The table and everything measured. */
    public record Result(String markdown, Map<String, Object> json) {
    }

    public Result run(List<Workload> workloads, Path dir) throws IOException, InterruptedException {
        Path log = dir.resolve("bench.log");
        Files.writeString(log, "");
        TorchPeer.Either peer = noPeer ? new TorchPeer.Either(null, null, "--no-peer") : TorchPeer.locate(python, dir);
        if (peer.peer() == null && !noPeer) {
            if (python != null) {
                throw new UserError(peer.problem());
            }
            progress.println("score4j bench: " + peer.problem());
        }
        List<BenchReport.Row> rows = new ArrayList<>();
        Map<String, Object> json = new LinkedHashMap<>();
        List<Object> results = new ArrayList<>();
        Double ndMatmul = null;
        Double torchMatmul = null;
        String blas = null;
        for (int i = 0; i < workloads.size(); i++) {
            Workload w = workloads.get(i);
            progress.printf(Locale.ROOT, "[%d/%d] %s: score4j ...%n", i + 1, workloads.size(), w.name());
            Map<String, Object> s = worker(w, i == 0, log);
            progress.println("        score4j " + summary(s));
            if (i == 0) {
                ndMatmul = ((Number) s.get("matmul_flops")).doubleValue();
            }
            Map<String, Object> t = null;
            String problem = peer.problem();
            if (peer.peer() != null) {
                progress.printf(Locale.ROOT, "[%d/%d] %s: PyTorch ...%n", i + 1, workloads.size(), w.name());
                @SuppressWarnings("unchecked")
                Map<String, Object> spec = (Map<String, Object>) s.get("peer");
                try {
                    t = peer.peer().run(spec, threads, log);
                    progress.println("        PyTorch " + summary(t));
                    if (t.get("matmul_flops") instanceof Number n) {
                        torchMatmul = n.doubleValue();
                    }
                    blas = Objects.toString(t.get("blas"), null);
                } catch (IOException e) {
                    problem = e.getMessage();
                    progress.println("        PyTorch failed: " + problem);
                }
            }
            rows.add(new BenchReport.Row(w, s, t, t == null ? problem : null));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("workload", w.name());
            entry.put("description", w.description());
            entry.put("score4j", s);
            entry.put("pytorch", t);
            results.add(entry);
        }
        String header = header(ndMatmul, peer, torchMatmul, blas);
        json.put("header", header);
        json.put("threads", threads);
        json.put("repeats", repeats);
        json.put("workloads", results);
        return new Result(BenchReport.markdown(rows, header), json);
    }

    private Map<String, Object> worker(Workload w, boolean matmul, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BenchWorker.class.getName());
        command.addAll(List.of(w.name(), Integer.toString(repeats), Integer.toString(threads), plugins.toString(),
                Boolean.toString(matmul)));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        // The launcher's thread settings, for a bench started without it (the peer runs with libgomp's defaults).
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().putIfAbsent("GOMP_SPINCOUNT", "10000");
        pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        String line = out.lines().filter(l -> l.startsWith(BenchWorker.PREFIX)).findFirst().orElse(null);
        if (p.exitValue() != 0 || line == null) {
            throw new UserError("the score4j worker for " + w.name() + " failed (exit " + p.exitValue() + "); see " + log,
                    UserError.FAILED);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = new ObjectMapper().readValue(line.substring(BenchWorker.PREFIX.length()), Map.class);
        return result;
    }

    private static String summary(Map<String, Object> r) {
        List<Double> rates = BenchReport.rates(r);
        return String.format(Locale.ROOT, "median %.4g/s over %d repeats (min %.4g, max %.4g), peak RSS %d MiB",
                BenchReport.median(rates), rates.size(), rates.stream().mapToDouble(d -> d).min().orElse(0),
                rates.stream().mapToDouble(d -> d).max().orElse(0), ((Number) r.get("peak_rss_kib")).longValue() / 1024);
    }

    private String header(Double ndMatmul, TorchPeer.Either peer, Double torchMatmul, String blas) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "score4j bench, %s: %s, %d cores; %d native threads on both sides; medians "
                        + "of %d repeats%n%n", LocalDate.now(), cpuModel(), Runtime.getRuntime().availableProcessors(),
                threads, repeats));
        b.append(String.format(Locale.ROOT, "- score4j %s on DL4J %s, %s (%s), Java %s",
                Provenance.versions().getProperty("score4j.version", "?"),
                Provenance.versions().getProperty("dl4j.version", "?"), Provenance.versions().getProperty("nd4j.backend", "?"),
                Provenance.nativeBuild(), System.getProperty("java.version")));
        if (ndMatmul != null) {
            b.append(String.format(Locale.ROOT, "; 1024³ sgemm peak %.0f GFLOP/s", ndMatmul / 1e9));
        }
        b.append('\n');
        if (peer.peer() != null) {
            b.append(String.format(Locale.ROOT, "- PyTorch %s (BLAS %s)", peer.version(), blas == null ? "?" : blas));
            if (torchMatmul != null) {
                b.append(String.format(Locale.ROOT, "; 1024³ sgemm peak %.0f GFLOP/s", torchMatmul / 1e9));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }

}
