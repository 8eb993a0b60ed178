package org.score4j.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.launcher.JavaModuleOptions;
import org.score4j.core.UserError;

/**
 * A standalone Spark cluster on this machine: a master and workers, each its own JVM listening on 127.0.0.1, started
 * the way Spark's scripts start them. Its Spark installation ({@code home}) holds links to the jars of this process's
 * class path except score4j's own, which the driver ships with the job (or names in
 * {@code spark.executor.extraClassPath}), as on a real cluster. Used by {@code score4j spark-cluster}, the scaling
 * benchmark and the tests.
 */
public final class LoopbackCluster implements AutoCloseable {
    /**
     * @param workers   worker JVMs (each runs one executor per application)
     * @param cores     cores each worker offers
     * @param memoryMb  memory each worker offers its executors, in MiB
     */
    public record Shape(int workers, int cores, int memoryMb) {
        public Shape {
            if (workers < 1 || cores < 1 || memoryMb < 512) {
                throw new UserError("a loopback cluster needs ≥ 1 worker, ≥ 1 core and ≥ 512 MiB per worker, got "
                        + workers + " workers, " + cores + " cores, " + memoryMb + " MiB");
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DAEMON_HEAP = "-Xmx384m";

    private final Path home;
    private final int masterPort;
    private final int webPort;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();

    private LoopbackCluster(Path home, int masterPort, int webPort, Process master) {
        this.home = home;
        this.masterPort = masterPort;
        this.webPort = webPort;
        this.master = master;
    }

    /**
     * Starts a master and {@code shape.workers()} workers and waits until every worker has registered.
     *
     * @param home      a directory for the installation, the workers' work directories and the daemons' logs
     * @param classPath this process's class path (Spark's jars and their dependencies among it)
     * @param timeout   how long to wait for the workers
     */
    public static LoopbackCluster start(Path home, List<Path> classPath, Shape shape, Duration timeout) {
        Objects.requireNonNull(shape, "shape");
        LoopbackCluster cluster;
        try {
            install(home, classPath);
            int port = freePort();
            int web = freePort();
            cluster = new LoopbackCluster(home, port, web, daemon(home, "master", "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(web)));
        } catch (IOException e) {
            throw new UserError("cannot start a Spark master in " + home + ": " + e.getMessage(), UserError.FAILED);
        }
        try {
            for (int i = 0; i < shape.workers(); i++) {
                cluster.addWorker(shape);
            }
            cluster.awaitWorkers(shape.workers(), timeout);
            return cluster;
        } catch (RuntimeException | IOException e) {
            cluster.close();
            if (e instanceof UserError u) {
                throw u;
            }
            throw new UserError("cannot start the Spark workers in " + home + ": " + e.getMessage(), UserError.FAILED);
        }
    }

    /** The class path of this JVM, as paths. */
    public static List<Path> ownClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(s -> !s.isBlank()).map(Path::of).toList();
    }

    /** The entries of a class path that are score4j's own (its jars and build directories), which executors get from the driver. */
    public static List<Path> score4jEntries(List<Path> classPath) {
        return classPath.stream().filter(p -> !isSparkSide(p)).toList();
    }

    /**
     * The {@code spark.executor.extraClassPath} that gives this machine's executors score4j's classes from
     * {@code classPath} (the cluster runs here, so the paths hold for them too).
     */
    public static String executorClassPath(List<Path> classPath) {
        return score4jEntries(classPath).stream().map(Path::toString)
                .collect(java.util.stream.Collectors.joining(File.pathSeparator));
    }

    private static boolean isSparkSide(Path entry) {
        String name = entry.getFileName().toString();
        return name.endsWith(".jar") && !name.startsWith("score4j-") && Files.isRegularFile(entry);
    }

    /** The master's URL, {@code spark://127.0.0.1:PORT}. */
    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** The master's web UI. */
    public String webUi() {
        return "http://127.0.0.1:" + webPort;
    }

    /** Where the daemons write their logs. */
    public Path logs() {
        return home.resolve("logs");
    }

    /** The workers the master counts as alive. */
    public int aliveWorkers() {
        try {
            return state().path("aliveworkers").asInt();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Kills worker {@code index} and its executors at once, as a machine that dies would. */
    public void killWorker(int index) {
        Process w = workers.get(index);
        w.descendants().forEach(ProcessHandle::destroyForcibly);
        w.destroyForcibly();
    }

    private void addWorker(Shape shape) throws IOException {
        int i = workers.size();
        Path work = Files.createDirectories(home.resolve("work").resolve("worker-" + i));
        // Its executors inherit this: their native threads, one per core the worker offers (not one per core of the machine).
        Map<String, String> env = Map.of("OMP_NUM_THREADS", Integer.toString(shape.cores()));
        workers.add(daemon(home, "worker-" + i, env, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                "--cores", Integer.toString(shape.cores()), "--memory", shape.memoryMb() + "m", "--webui-port", "0",
                "--work-dir", work.toString(), masterUrl()));
    }

    private void awaitWorkers(int expected, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (aliveWorkers() < expected) {
            if (!master.isAlive()) {
                throw new IOException("the master stopped; see " + logs().resolve("master.log"));
            }
            for (int i = 0; i < workers.size(); i++) {
                if (!workers.get(i).isAlive()) {
                    throw new IOException("worker " + i + " stopped; see " + logs().resolve("worker-" + i + ".log"));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(aliveWorkers() + " of " + expected + " workers registered within " + timeout.toSeconds()
                        + " s; see " + logs());
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the workers");
            }
        }
    }

    private JsonNode state() throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(webUi() + "/json/")).timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static void install(Path home, List<Path> classPath) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("logs"));
        for (Path entry : classPath) {
            if (isSparkSide(entry)) {
                Path link = jars.resolve(entry.getFileName());
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, entry.toAbsolutePath());
                }
            }
        }
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("logback.xml"), """
                <configuration>
                  <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
                  <appender name="ERR" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="ERR"/></root>
                  <logger name="org.sparkproject" level="WARN"/>
                  <logger name="io.netty" level="WARN"/>
                  <logger name="org.apache.hadoop" level="ERROR"/>
                </configuration>
                """);
    }

    private static Process daemon(Path home, String name, String mainClass, String... args) throws IOException {
        return daemon(home, name, Map.of(), mainClass, args);
    }

    private static Process daemon(Path home, String name, Map<String, String> env, String mainClass, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                DAEMON_HEAP, "-Dlogback.configurationFile=" + home.resolve("conf/logback.xml")));
        command.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptions().split("\\s+")));
        command.addAll(List.of("-cp", home.resolve("jars") + File.separator + "*", mainClass));
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve("logs").resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toAbsolutePath().toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().putAll(env);
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops the workers (and their executors) and the master. */
    @Override
    public void close() {
        for (Process w : workers) {
            w.descendants().forEach(ProcessHandle::destroyForcibly);
            w.destroyForcibly();
        }
        master.destroyForcibly();
        try {
            for (Process w : workers) {
                w.waitFor();
            }
            master.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
