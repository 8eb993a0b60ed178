package org.score4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
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

    /**
     * Checks that a study run elsewhere wrote what the local run wrote: the tables byte for byte, each cell's samples and
     * metrics (without timings) or its error, and a plot for every finished cell.
     *
     * @return the failed cells
     */
    static int assertSameStudy(Path local, Path remote, int cells) throws IOException {
        assertThat(Files.readString(remote.resolve("summary.csv"))).isEqualTo(Files.readString(local.resolve("summary.csv")));
        assertThat(Files.readString(remote.resolve("summary.md"))).isEqualTo(Files.readString(local.resolve("summary.md")));
        List<Path> names;
        try (Stream<Path> s = Files.list(local.resolve("cells"))) {
            names = s.map(Path::getFileName).sorted().toList();
        }
        assertThat(names).hasSize(cells);
        int failed = 0;
        for (Path cell : names) {
            Path l = local.resolve("cells").resolve(cell);
            Path r = remote.resolve("cells").resolve(cell);
            if (Files.exists(l.resolve("error.txt"))) {
                failed++;
                assertThat(Files.readString(r.resolve("error.txt"))).isEqualTo(Files.readString(l.resolve("error.txt")));
            } else {
                assertThat(Files.readString(r.resolve("samples.csv"))).isEqualTo(Files.readString(l.resolve("samples.csv")));
                assertThat(withoutTimes(r.resolve("metrics.json"))).isEqualTo(withoutTimes(l.resolve("metrics.json")));
                assertThat(r.resolve("samples.png")).isRegularFile();
            }
        }
        return failed;
    }

    /** The same command's results in this process and on an engine. */
    record Both(Result local, Result remote) {
    }

    /** Writes {@code study} and runs it locally into {@code tmp/local} and on {@code engine} into {@code tmp/<remote>}. */
    static Both ablate(Path tmp, String study, String remote, String... engine) throws IOException {
        Path file = tmp.resolve("study.conf");
        Files.writeString(file, study);
        return new Both(score4j("ablate", "-c", file.toString(), "-o", tmp.resolve("local").toString()),
                score4j(with(new String[] {"ablate", "-c", file.toString(), "-o", tmp.resolve(remote).toString()}, engine)));
    }

    /**
     * Trains 100 steps, then samples 450 chains in 5 batches of at most 100 (the last one short) here and on
     * {@code engine}, and checks that the samples are the same, bit for bit.
     */
    static void assertSamplingEqualsLocal(Path tmp, String... engine) throws IOException {
        Path run = tmp.resolve("run");
        Result trained = score4j("train", "--set", "train.steps=100", "-o", run.toString());
        assertThat(trained.code()).as(trained.err()).isZero();
        String[] sample = {"sample", "--from", run.toString(), "--set", "sample.count=450", "--set", "sample.batch-size=100"};
        Result local = score4j(with(sample, "-o", tmp.resolve("local").toString()));
        Result remote = score4j(with(with(sample, "-o", tmp.resolve("remote").toString()), engine));
        assertThat(local.code()).as(local.err()).isZero();
        assertThat(remote.code()).as(remote.err()).isZero();
        String samples = Files.readString(tmp.resolve("remote/samples.csv"));
        assertThat(samples.lines().count()).isEqualTo(451);
        assertThat(samples).isEqualTo(Files.readString(tmp.resolve("local/samples.csv")));
    }
}
