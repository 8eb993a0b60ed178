package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of seeded mutations of a configuration, a CSV data file and a checkpoint, each run through
 * the real command line in this JVM: every one either runs or stops with a message and a non-zero
 * exit code; none ends in an internal error or a stack trace.
 */
class FuzzTest {
    // The sections that bound the work come first, so that a cut rarely leaves a full-length run.
    private static final String CONFIG = """
            train { steps = 2, batch-size = 16, checkpoint-every = 1, log-every = 1 }
            eval { reference-samples = 50, projections = 4, fisher-samples = 20, plots = false }
            sample { count = 8, batch-size = 4 }
            seed = 3
            data { name = mixture }
            model { name = ncsn-mlp, hidden = 8, layers = 1 }
            objective { name = dsm }
            schedule { name = geometric, sigma-max = 5, sigma-min = 1, levels = 3 }
            sampler { name = annealed-langevin, steps-per-level = 2 }
            """;
    private static final String[] VALUES = {"-1", "0", "1", "2", "0.5", "1e-9", "1e300", "abc", "\"\"", "[]", "[1,2]",
            "{}", "null", "true", "NaN", "\"Infinity\"", "${undefined}", "csv", "rings", "ssm", "ssm-vr", "exact-sm",
            "linear", "langevin", "\"a\\u0000b\""};
    private static final String JUNK = "{}[]=,:\"#$ \n.xZ9-\\";

    @TempDir
    Path dir;

    @Test
    void mutatedConfigurationsRunOrFailWithAMessage() throws Exception {
        Random random = new Random(1);
        int[] outcomes = new int[3];
        for (int i = 0; i < 200; i++) {
            String text = mutate(CONFIG, random, 1 + random.nextInt(3));
            Path file = dir.resolve("fuzz-" + i + ".conf");
            Files.writeString(file, text);
            Result r = expectHandled("config " + i + ":\n" + text, "train", "-c", file.toString(), "-o", dir.resolve("out-" + i).toString(),
                    "--force");
            outcomes[r.exitCode()]++;
        }
        assertThat(outcomes[0]).as("some mutations still run").isPositive();
        assertThat(outcomes[2]).as("some mutations are rejected").isPositive();
    }

    @Test
    void mutatedCsvFilesRunOrNameTheFile() throws Exception {
        Random random = new Random(2);
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int row = 0; row < 30; row++) {
            csv.append(String.format(java.util.Locale.ROOT, "%.3f,%.3f%n", random.nextGaussian(), random.nextGaussian()));
        }
        int[] outcomes = new int[3];
        for (int i = 0; i < 150; i++) {
            Path file = dir.resolve("fuzz-" + i + ".csv");
            if (i % 25 == 0) {
                Files.write(file, junkBytes(random, i));
            } else {
                Files.writeString(file, mutate(csv.toString(), random, 1 + random.nextInt(4)));
            }
            Result r = expectHandled("csv " + i + ":\n" + Files.readString(file, StandardCharsets.ISO_8859_1), "train",
                    "-c", config(), "--set", "data.name=csv", "--set", "data.path=" + file, "-o",
                    dir.resolve("out-" + i).toString(), "--force");
            if (r.exitCode() == 2) {
                assertThat(r.err()).as("csv %d names the file", i).contains(file.getFileName().toString());
            }
            outcomes[r.exitCode()]++;
        }
        assertThat(outcomes[0]).as("some mutated files still load").isPositive();
        assertThat(outcomes[2]).as("some mutated files are rejected").isPositive();
    }

    @Test
    void mutatedCheckpointsLoadOrAreNamed() throws Exception {
        Path run = dir.resolve("run");
        assertThat(execute("train", "-c", config(), "-o", run.toString()).exitCode()).isZero();
        Path checkpoint = run.resolve("checkpoints/step-0000000002.safetensors");
        byte[] good = Files.readAllBytes(checkpoint);
        // Only the mutated checkpoint is left: an older readable one would be used instead (and is, see ResumeTest).
        Files.delete(run.resolve("checkpoints/step-0000000001.safetensors"));
        Random random = new Random(3);
        int rejected = 0;
        for (int i = 0; i < 100; i++) {
            byte[] bad = switch (i % 4) {
                case 0 -> Arrays.copyOf(good, random.nextInt(good.length));
                case 1 -> flip(good, random, 1 + random.nextInt(20));
                case 2 -> {
                    byte[] b = good.clone();
                    int from = random.nextInt(b.length);
                    Arrays.fill(b, from, Math.min(b.length, from + 1 + random.nextInt(200)), (byte) 0);
                    yield b;
                }
                default -> junkBytes(random, i);
            };
            Files.write(checkpoint, bad);
            Result r = expectHandled("checkpoint " + i, "sample", "--from", run.toString(), "-o",
                    dir.resolve("sampled-" + i).toString(), "--force");
            if (r.exitCode() == 2) {
                assertThat(r.err()).as("checkpoint %d names the file", i).contains("step-0000000002.safetensors");
            }
            rejected += r.exitCode() == 2 ? 1 : 0;
        }
        assertThat(rejected).as("damaged checkpoints are rejected").isGreaterThan(50);
    }

    private String config() throws Exception {
        Path file = dir.resolve("base.conf");
        Files.writeString(file, CONFIG);
        return file.toString();
    }

    private static Result expectHandled(String what, String... args) {
        Result r = execute(args);
        assertThat(r.exitCode()).as("%s%n%s", what, r.err()).isIn(0, 1, 2);
        assertThat(r.err()).as(what).doesNotContain("internal error").doesNotContain("Exception").doesNotContain("\tat ");
        if (r.exitCode() != 0) {
            assertThat(r.err()).as(what).startsWith("score4j");
        }
        return r;
    }

    record Result(int exitCode, String err) {
    }

    private static Result execute(String... args) {
        Score4jProcess.Result r = Score4jProcess.inProcess(args);
        return new Result(r.exitCode(), r.err());
    }

    /** {@code count} random edits: a value replaced, a character deleted, inserted or swapped, a line doubled, a cut. */
    static String mutate(String text, Random random, int count) {
        StringBuilder b = new StringBuilder(text);
        for (int k = 0; k < count && b.length() > 0; k++) {
            int at = random.nextInt(b.length());
            switch (random.nextInt(6)) {
                case 0 -> {
                    int eq = b.indexOf("=", at);
                    int comma = b.indexOf(",", at);
                    if (eq < 0) {
                        eq = b.indexOf("=");
                    }
                    int end = eq;
                    while (end + 1 < b.length() && ",}\n".indexOf(b.charAt(end + 1)) < 0) {
                        end++;
                    }
                    if (eq >= 0 && end > eq) {
                        b.replace(eq + 1, end + 1, " " + VALUES[random.nextInt(VALUES.length)]);
                    } else if (comma >= 0) {
                        b.deleteCharAt(comma);
                    }
                }
                case 1 -> b.deleteCharAt(at);
                case 2 -> b.insert(at, JUNK.charAt(random.nextInt(JUNK.length())));
                case 3 -> {
                    if (at + 1 < b.length()) {
                        char c = b.charAt(at);
                        b.setCharAt(at, b.charAt(at + 1));
                        b.setCharAt(at + 1, c);
                    }
                }
                case 4 -> {
                    int start = b.lastIndexOf("\n", at) + 1;
                    int end = b.indexOf("\n", at);
                    if (end > start) {
                        b.insert(start, b.substring(start, end + 1));
                    }
                }
                default -> b.setLength(at);
            }
        }
        return b.toString();
    }

    private static byte[] flip(byte[] good, Random random, int count) {
        byte[] b = good.clone();
        for (int k = 0; k < count; k++) {
            b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
    }

    private static byte[] junkBytes(Random random, int i) {
        byte[] b = new byte[i % 2 == 0 ? 0 : 1 + random.nextInt(300)];
        random.nextBytes(b);
        return b;
    }
}
