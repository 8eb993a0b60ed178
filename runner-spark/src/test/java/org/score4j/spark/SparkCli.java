package org.score4j.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.score4j.runner.Main;

/** The score4j command run in this JVM (the Spark driver), with what a user sees captured. */
final class SparkCli {
    private SparkCli() {
    }

    record Result(int code, String out, String err) {
    }

    static Result score4j(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try (PrintStream co = new PrintStream(o, true, StandardCharsets.UTF_8);
             PrintStream ce = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            System.setOut(co);
            System.setErr(ce);
            int code = Main.execute(args);
            return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    static String[] with(String[] args, String... more) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(Arrays.asList(more));
        return all.toArray(String[]::new);
    }

    /** A cell's metrics.json without its timings. */
    static String withoutTimes(Path metrics) throws IOException {
        return Files.readString(metrics).replaceAll("\"\\w*(seconds|per_second)\" : [0-9.Ee-]+", "");
    }

    /** The training log without its wall-clock column. */
    static List<String> lossColumns(Path log) throws IOException {
        return Files.readAllLines(log).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    /** The test JVM's class path (surefire's, not its booter jar's). */
    static List<Path> classPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(cp.split(java.io.File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
    }
}
