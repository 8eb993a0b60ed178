package org.score4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.core.app.Application;
import org.score4j.core.plugins.Catalog;

/**
 * What the tasks of one executor JVM share: the plugins shipped with the job, discovered once, and native threads
 * shared out between the executor's task slots.
 */
final class ExecutorContext {
    private static final Map<List<String>, Catalog> CATALOGS = new ConcurrentHashMap<>();

    private ExecutorContext() {
    }

    /** The application over the built-in plugins and the plugin jars shipped with the job (by file name). */
    static Application application(List<String> pluginJars) {
        return new Application(CATALOGS.computeIfAbsent(List.copyOf(pluginJars), ExecutorContext::discover));
    }

    private static Catalog discover(List<String> jars) {
        shareThreads();
        try {
            Path dir = Files.createTempDirectory("score4j-plugins");
            dir.toFile().deleteOnExit();
            for (String jar : jars) {
                Path copy = dir.resolve(jar);
                Files.copy(Path.of(SparkFiles.get(jar)), copy, StandardCopyOption.REPLACE_EXISTING);
                copy.toFile().deleteOnExit();
            }
            return Catalog.discover(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot gather the job's plugin jars", e);
        }
    }

    /**
     * On a cluster executor, each task slot gets its share of the cores, or of OMP_NUM_THREADS where the worker sets it
     * (the driver sets this up in local mode).
     */
    private static void shareThreads() {
        SparkEnv env = SparkEnv.get();
        if (env == null || "driver".equals(env.executorId())) {
            return;
        }
        int slots = Math.max(1, env.conf().getInt("spark.executor.cores", 1));
        int budget = Runtime.getRuntime().availableProcessors();
        try {
            String omp = System.getenv("OMP_NUM_THREADS");
            budget = omp == null ? budget : Math.max(1, Integer.parseInt(omp.strip()));
        } catch (NumberFormatException e) {
            // an unreadable setting: the cores, as the native libraries themselves would
        }
        int threads = Math.max(1, budget / slots);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }
}
