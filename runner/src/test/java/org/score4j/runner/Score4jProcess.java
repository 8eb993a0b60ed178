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

    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Djava.awt.headless=true", "-cp", classPath(), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().put("OMP_NUM_THREADS", "2");
        File out = workDir.resolve("stdout.txt").toFile();
        File err = workDir.resolve("stderr.txt").toFile();
        pb.redirectOutput(out).redirectError(err);
        Process p = pb.start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("score4j did not finish in time");
        }
        return new Result(p.exitValue(), java.nio.file.Files.readString(out.toPath()), java.nio.file.Files.readString(err.toPath()));
    }
}
