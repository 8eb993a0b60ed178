package org.score4j.runner;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the score4j command in a separate JVM, as the launcher does, and captures what a user sees. */
final class Score4jProcess {
    record Result(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** Starts the command with its output going to {@code stdout.txt} and {@code stderr.txt} in {@code workDir}. */
    static Process start(Path workDir, String... args) throws IOException {
        return start(workDir, java.util.Map.of(), "", args);
    }

    /**
     * As {@link #start(Path, String...)}, with more environment variables and class-path entries placed first.
     */
    static Process start(Path workDir, java.util.Map<String, String> env, String classPathFirst, String... args)
            throws IOException {
        return start(workDir, env, classPathFirst, true, args);
    }

    /** @param vectorApi whether the JVM gets the vector API, as the launcher gives it */
    private static Process start(Path workDir, java.util.Map<String, String> env, String classPathFirst,
                                 boolean vectorApi, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (vectorApi) {
            cmd.add("--add-modules=jdk.incubator.vector");
        }
        cmd.addAll(List.of("-Xmx2g", "-Djava.awt.headless=true", "-cp", classPathFirst.isEmpty() ? classPath()
                : classPathFirst + File.pathSeparator + classPath(), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().put("OMP_NUM_THREADS", "2");
        pb.environment().putAll(env);
        pb.redirectOutput(workDir.resolve("stdout.txt").toFile()).redirectError(workDir.resolve("stderr.txt").toFile());
        return pb.start();
    }

    /**
     * Runs the command line in this JVM with relative paths resolved against {@code workDir} (the command's arguments
     * and the configuration's paths are rewritten to absolute ones where they name files there), capturing both
     * streams. Faster than a process; for tests of messages and exit codes.
     */
    static Result inProcess(Path workDir, String... args) {
        String[] absolute = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            absolute[i] = args[i];
            boolean value = i > 0 && java.util.Set.of("-o", "--out", "-c", "--config", "--from", "--resume", "--plugins", "--input")
                    .contains(args[i - 1]);
            if (value && !Path.of(args[i]).isAbsolute()) {
                absolute[i] = workDir.resolve(args[i]).toString();
            }
        }
        Result r = inProcess(absolute);
        String prefix = workDir.toString() + java.io.File.separator;
        return new Result(r.exitCode(), r.out().replace(prefix, ""), r.err().replace(prefix, ""));
    }

    /** Runs the command line in this JVM (faster; no separate process), capturing both streams. */
    static Result inProcess(String... args) {
        java.io.PrintStream out = System.out;
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream e = new java.io.ByteArrayOutputStream();
        try (java.io.PrintStream co = new java.io.PrintStream(o, true, java.nio.charset.StandardCharsets.UTF_8);
             java.io.PrintStream ce = new java.io.PrintStream(e, true, java.nio.charset.StandardCharsets.UTF_8)) {
            System.setOut(co);
            System.setErr(ce);
            int code = Main.execute(args);
            return new Result(code, o.toString(java.nio.charset.StandardCharsets.UTF_8), e.toString(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        return run(workDir, java.util.Map.of(), "", args);
    }

    static Result run(Path workDir, java.util.Map<String, String> env, String classPathFirst, String... args)
            throws IOException, InterruptedException {
        return finish(workDir, start(workDir, env, classPathFirst, true, args));
    }

    /** As {@link #run(Path, String...)} in a JVM without the vector API: the models take their ND4J path. */
    static Result runWithoutVectorApi(Path workDir, String... args) throws IOException, InterruptedException {
        return finish(workDir, start(workDir, java.util.Map.of(), "", false, args));
    }

    /** A result and the process's peak resident memory (VmHWM, read from /proc while it ran). */
    record Measured(Result result, long peakKib) {
    }

    /** As {@link #run(Path, java.util.Map, String, String...)}, measuring the process's peak resident memory. */
    static Measured runMeasured(Path workDir, java.util.Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Process p = start(workDir, env, "", true, args);
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        long peak = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (p.isAlive() && System.nanoTime() < deadline) {
            try {
                for (String line : java.nio.file.Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        peak = Math.max(peak, Long.parseLong(line.substring(6).trim().split("\\s+")[0]));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process ended between the check and the read
            }
            p.waitFor(20, TimeUnit.MILLISECONDS);
        }
        return new Measured(finish(workDir, p), peak);
    }

    private static Result finish(Path workDir, Process p) throws IOException, InterruptedException {
        File out = workDir.resolve("stdout.txt").toFile();
        File err = workDir.resolve("stderr.txt").toFile();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("score4j did not finish in time");
        }
        String stderr = java.nio.file.Files.readString(err.toPath());
        // The JVM's one line about the vector API's incubator module, which the launcher drops on a terminal.
        stderr = stderr.replaceFirst("^WARNING: Using incubator modules: jdk\\.incubator\\.vector\\R", "");
        return new Result(p.exitValue(), java.nio.file.Files.readString(out.toPath()), stderr);
    }
}
