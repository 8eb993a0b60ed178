package org.score4j.runner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.score4j.runner.bench.Benchmark;
import org.score4j.core.output.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", description = "Benchmark training and sampling against PyTorch doing the same work on the "
        + "same machine, the two sides interleaved in rounds of fresh processes: the ratio score4j / PyTorch per round "
        + "(median and range), examples/s or score evaluations/s, FLOP/s against each side's sgemm peak, peak memory.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--workloads", split = ",", paramLabel = "NAME",
            description = "workloads to run (default: all): mlp-train-256, mlp-train-4096, mlp-sample-10k, "
                    + "edm-sample-10k, pflow-sample-10k, unet-train-64, unet-sample-64")
    List<String> workloads = new ArrayList<>();

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "N",
            description = "interleaved rounds (a score4j process, then a PyTorch process) per workload and thread "
                    + "count; the table shows the per-round ratio's median and range (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--repeats", defaultValue = "3", paramLabel = "N",
            description = "timed repeats inside each process; a process's rate is their median (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--warmup", defaultValue = "3", paramLabel = "SECONDS",
            description = "least warm-up time inside each process before its repeats, which then goes on until the "
                    + "rate stops rising; 0: a single run, a quick check whose rates are not the steady ones "
                    + "(default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--threads", split = ",", paramLabel = "N",
            description = "native threads for both sides, or a list (1,2) for one table each (default: "
                    + "OMP_NUM_THREADS, else the number of cores)")
    List<Integer> threads = new ArrayList<>();

    @Option(names = "--no-peer", description = "run score4j only")
    boolean noPeer;

    @Option(names = "--python", paramLabel = "PATH",
            description = "Python with torch (default: /usr/bin/python3, where Debian's python3-torch installs, then python3)")
    String python;

    @Option(names = "--peer-blas", defaultValue = "openmp", paramLabel = "WHICH",
            description = "the BLAS the PyTorch peer loads: openmp (Debian's OpenMP build of OpenBLAS where installed, "
                    + "the threading PyTorch uses), system (the libblas.so.3 the system selects) or a directory holding "
                    + "a libblas.so.3 (default: ${DEFAULT-VALUE})")
    String peerBlas;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "output directory (default: runs/bench-<time>)")
    Path out;

    @Option(names = "--force", description = "write into a non-empty output directory")
    boolean force;

    @Option(names = "--plugins", paramLabel = "DIR", defaultValue = "${env:SCORE4J_PLUGINS:-plugins}",
            description = "plugin directory (default: ${DEFAULT-VALUE})")
    Path plugins;

    @Override
    public Integer call() throws Exception {
        if (repeats < 1) {
            throw new org.score4j.core.UserError("--repeats must be >= 1, got " + repeats);
        }
        if (rounds < 1) {
            throw new org.score4j.core.UserError("--rounds must be >= 1, got " + rounds);
        }
        if (!(warmup >= 0) || !Double.isFinite(warmup)) {
            throw new org.score4j.core.UserError("--warmup must be a number of seconds >= 0, got " + warmup);
        }
        List<Integer> counts = threads.isEmpty() ? List.of(defaultThreads()) : threads;
        for (int n : counts) {
            if (n < 1) {
                throw new org.score4j.core.UserError("--threads must be >= 1, got " + n);
            }
        }
        List<org.score4j.runner.bench.Workload> chosen = org.score4j.runner.bench.Workload.named(workloads);
        try (RunDirectory dir = RunDirectory.create(out != null ? out : Path.of("runs", "bench-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))), force, "score4j bench")) {
            Benchmark.Result result = new Benchmark(plugins, counts.stream().distinct().toList(), rounds, repeats, warmup,
                    noPeer, python, peerBlas, System.err).run(chosen, dir.path());
            dir.writeText("bench.md", result.markdown() + "\n");
            dir.writeText("bench.json", new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(result.json()) + "\n");
            System.out.println(result.markdown());
            System.out.println("\nwrote " + dir.path() + " (bench.md, bench.json, bench.log)");
        }
        return 0;
    }

    private static int defaultThreads() {
        String env = System.getenv("OMP_NUM_THREADS");
        try {
            return env != null ? Integer.parseInt(env.strip()) : Runtime.getRuntime().availableProcessors();
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }
}
