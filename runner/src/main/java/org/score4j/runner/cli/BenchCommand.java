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
        + "same machine: examples/s, score evaluations/s, FLOP/s and peak memory, with the ratio score4j / PyTorch.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--workloads", split = ",", paramLabel = "NAME",
            description = "workloads to run (default: all): mlp-train-256, mlp-train-4096, mlp-sample-10k, "
                    + "unet-train-64, unet-sample-64")
    List<String> workloads = new ArrayList<>();

    @Option(names = "--repeats", defaultValue = "5", paramLabel = "N",
            description = "timed repeats per workload and side; the table shows medians (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--threads", paramLabel = "N",
            description = "native threads for both sides (default: OMP_NUM_THREADS, else the number of cores)")
    Integer threads;

    @Option(names = "--no-peer", description = "run score4j only")
    boolean noPeer;

    @Option(names = "--python", paramLabel = "PATH",
            description = "Python with torch (default: /usr/bin/python3, where Debian's python3-torch installs, then python3)")
    String python;

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
        int n = threads != null ? threads : defaultThreads();
        if (n < 1) {
            throw new org.score4j.core.UserError("--threads must be >= 1, got " + n);
        }
        List<org.score4j.runner.bench.Workload> chosen = org.score4j.runner.bench.Workload.named(workloads);
        try (RunDirectory dir = RunDirectory.create(out != null ? out : Path.of("runs", "bench-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))), force, "score4j bench")) {
            Benchmark.Result result = new Benchmark(plugins, n, repeats, noPeer, python, System.err)
                    .run(chosen, dir.path());
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
