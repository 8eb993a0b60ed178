package org.score4j.runner.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.score4j.core.UserError;

/**
 * Runs workloads against the PyTorch peer in interleaved rounds: in each round, for each thread count and workload, a
 * fresh score4j JVM ({@link BenchWorker}) and then a fresh PyTorch process ({@link TorchPeer}) with the same thread
 * count. A round's ratio compares two processes that ran back to back, so a machine that slows down or speeds up
 * between rounds moves both sides of a ratio; the table reports each workload's median ratio over the rounds with its
 * range ({@link BenchReport}). Every process also times a 1024³ sgemm, so the peaks come from the same run.
 */
public final class Benchmark {
    private final Path plugins;
    private final List<Integer> threads;
    private final int rounds;
    private final int repeats;
    private final double warmupSeconds;
    private final boolean noPeer;
    private final String python;
    private final String peerBlas;
    private final PrintStream progress;

    /**
     * @param threads       the native thread counts to measure, each on both sides
     * @param rounds        score4j/PyTorch process pairs per workload and thread count
     * @param repeats       timed repeats inside each process; a process's rate is their median
     * @param warmupSeconds least warm-up time inside each process before its repeats
     */
    public Benchmark(Path plugins, List<Integer> threads, int rounds, int repeats, double warmupSeconds, boolean noPeer,
                     String python, String peerBlas, PrintStream progress) {
        this.plugins = Objects.requireNonNull(plugins, "plugins");
        this.threads = List.copyOf(threads);
        this.rounds = rounds;
        this.repeats = repeats;
        this.warmupSeconds = warmupSeconds;
        this.noPeer = noPeer;
        this.python = python;
        this.peerBlas = Objects.requireNonNull(peerBlas, "peerBlas");
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
        if (peer.peer() != null) {
            Path blas = peer.peer().useBlas(peerBlas);
            if (blas != null) {
                progress.println("score4j bench: the PyTorch peer loads the BLAS in " + blas + " (--peer-blas " + peerBlas
                        + ")");
            }
        }
        String loadBefore = loadAverage();
        long started = System.nanoTime();
        // cells.get(t).get(w): the rounds of workload w at thread count t.
        List<List<List<BenchReport.Round>>> cells = new ArrayList<>();
        for (int t = 0; t < threads.size(); t++) {
            List<List<BenchReport.Round>> perWorkload = new ArrayList<>();
            for (int w = 0; w < workloads.size(); w++) {
                perWorkload.add(new ArrayList<>());
            }
            cells.add(perWorkload);
        }
        List<Map<String, Object>> sequence = new ArrayList<>();
        List<Double> busy = new ArrayList<>();
        int total = rounds * threads.size() * workloads.size();
        int done = 0;
        for (int r = 1; r <= rounds; r++) {
            for (int t = 0; t < threads.size(); t++) {
                int n = threads.get(t);
                for (int i = 0; i < workloads.size(); i++) {
                    Workload w = workloads.get(i);
                    done++;
                    progress.printf(Locale.ROOT, "[%d/%d] round %d/%d, %s, %d thread%s: score4j ...%n", done, total, r,
                            rounds, w.name(), n, n == 1 ? "" : "s");
                    busy.add(OtherLoad.sample());
                    long from = System.currentTimeMillis();
                    Map<String, Object> s = worker(w, n, log);
                    sequence.add(event("score4j", w, n, r, from));
                    progress.println("        score4j " + summary(s));
                    Map<String, Object> p = null;
                    String problem = peer.problem();
                    if (peer.peer() != null) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> spec = (Map<String, Object>) s.get("peer");
                        busy.add(OtherLoad.sample());
                        from = System.currentTimeMillis();
                        try {
                            p = peer.peer().run(spec, n, log);
                            problem = null;
                            sequence.add(event("pytorch", w, n, r, from));
                            progress.println("        PyTorch " + summary(p));
                        } catch (IOException e) {
                            problem = e.getMessage();
                            sequence.add(event("pytorch-failed", w, n, r, from));
                            progress.println("        PyTorch failed: " + problem);
                        }
                    }
                    BenchReport.Round round = new BenchReport.Round(r, s, p, problem);
                    cells.get(t).get(i).add(round);
                    if (round.ratio() != null) {
                        progress.printf(Locale.ROOT, "        round %d ratio %.2f×%n", r, round.ratio());
                    }
                }
            }
        }
        String loadAfter = loadAverage();
        List<BenchReport.Table> tables = new ArrayList<>();
        for (int t = 0; t < threads.size(); t++) {
            List<BenchReport.Cell> row = new ArrayList<>();
            for (int i = 0; i < workloads.size(); i++) {
                row.add(new BenchReport.Cell(workloads.get(i), cells.get(t).get(i)));
            }
            tables.add(new BenchReport.Table(threads.get(t), row));
        }
        BenchReport.Run run = new BenchReport.Run(tables, rounds, repeats, warmupSeconds, peer.version(),
                peer.problem(), BenchSystem.cpu(), loadBefore, loadAfter, busy, (System.nanoTime() - started) / 1e9);
        Map<String, Object> json = BenchReport.json(run);
        json.put("sequence", sequence);
        return new Result(BenchReport.markdown(run), json);
    }

    private static Map<String, Object> event(String side, Workload w, int threads, int round, long from) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("side", side);
        e.put("workload", w.name());
        e.put("threads", threads);
        e.put("round", round);
        e.put("started", Instant.ofEpochMilli(from).toString());
        e.put("started_ms", from);
        e.put("ended_ms", System.currentTimeMillis());
        return e;
    }

    private Map<String, Object> worker(Workload w, int n, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        // For the worker to ask the OpenBLAS it loaded which kernels it chose (BenchSystem.nativeString).
        command.addAll(BenchSystem.foreignOptions());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BenchWorker.class.getName());
        command.addAll(List.of(w.name(), Integer.toString(repeats), Integer.toString(n), plugins.toString(),
                Double.toString(warmupSeconds)));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(n));
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

    /** The 1-, 5- and 15-minute load averages, from /proc/loadavg. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
