package org.score4j.spark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code score4j spark-cluster}: a standalone Spark cluster on this machine, until interrupted. */
@Command(name = "spark-cluster", mixinStandardHelpOptions = true,
        description = "Start a standalone Apache Spark cluster on this machine (a master and workers, each its own JVM on "
                + "127.0.0.1) and keep it up until Ctrl-C; other score4j commands then submit to it with "
                + "--engine spark --master spark://127.0.0.1:PORT.")
final class SparkClusterCommand implements Callable<Integer> {
    @Option(names = "--workers", defaultValue = "2", paramLabel = "N", description = "worker JVMs (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--cores", defaultValue = "1", paramLabel = "N", description = "cores each worker offers (default: ${DEFAULT-VALUE})")
    int cores;

    @Option(names = "--memory-mb", defaultValue = "1280", paramLabel = "MiB",
            description = "memory each worker offers its executor (default: ${DEFAULT-VALUE}; executors take 1 GiB of heap)")
    int memoryMb;

    @Option(names = "--dir", defaultValue = "runs/spark-cluster", paramLabel = "DIR",
            description = "the cluster's Spark installation, work directories and logs (default: ${DEFAULT-VALUE})")
    Path dir;

    @Override
    public Integer call() throws InterruptedException {
        LoopbackCluster.Shape shape = new LoopbackCluster.Shape(workers, cores, memoryMb);
        System.err.println("score4j: starting a Spark master and " + workers + " worker" + (workers == 1 ? "" : "s") + " in " + dir + " ...");
        LoopbackCluster cluster = LoopbackCluster.start(dir.toAbsolutePath(), LoopbackCluster.ownClassPath(), shape,
                Duration.ofMinutes(2));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            stopped.countDown();
        }, "score4j-spark-cluster-stop"));
        System.out.println("master  " + cluster.masterUrl());
        System.out.println("web UI  " + cluster.webUi());
        System.out.println("logs    " + cluster.logs());
        System.out.println("submit  ./score4j run --engine spark --master " + cluster.masterUrl());
        System.out.println("(Ctrl-C stops the cluster)");
        stopped.await();
        return 0;
    }
}
