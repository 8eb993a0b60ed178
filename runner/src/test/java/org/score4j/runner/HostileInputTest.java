package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.core.UserError;

/**
 * What a hostile user can hand score4j, each case through the real command in a process of its own with a memory
 * budget: checkpoints that are serialized gadgets, zip files, huge headers, pipes and devices; configurations that
 * include URLs, nest 20 000 deep or ask for absurd sizes; data files that are compression bombs. For every case: a
 * {@code score4j:} message naming the file or key, a documented exit code, no JVM crash file, the peak memory under
 * the budget, and — for checkpoints — the older valid checkpoint used instead.
 */
class HostileInputTest {
    private static final long BUDGET_MIB = 1536;
    private static final Map<String, String> ENV = Map.of("SCORE4J_MEMORY_BUDGET", BUDGET_MIB + "m");

    @TempDir
    static Path dir;

    private static HttpServer server;
    private static final AtomicInteger REQUESTS = new AtomicInteger();
    private static String url;

    @BeforeAll
    static void aTrainedRunWithTwoCheckpointsAndAServerThatCountsRequests() throws Exception {
        var trained = Score4jProcess.run(dir, "train", "-o", "run", "--set", "train.steps=20",
                "--set", "train.checkpoint-every=10", "--set", "model.hidden=16", "--set", "eval.plots=false",
                "--set", "eval.fisher-samples=50", "--set", "eval.reference-samples=200");
        assertThat(trained.exitCode()).as(trained.all()).isZero();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            REQUESTS.incrementAndGet();
            byte[] body = "seed = 2".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/x.conf";
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        assertThat(REQUESTS.get()).as("HTTP requests any case made").isZero();
    }

    /** Replaces the run's newest checkpoint with {@code bytes} (the older one stays) and samples it. */
    private static void hostileCheckpoint(String name, byte[] bytes) throws Exception {
        Path run = copyOfTheRun(name);
        Path newest = run.resolve("checkpoints/step-0000000020.safetensors");
        Files.delete(newest);
        if (bytes != null) {
            Files.write(newest, bytes);
        }
        expectOlderCheckpointUsed(name, run, newest);
    }

    private static void expectOlderCheckpointUsed(String name, Path run, Path newest) throws Exception {
        Score4jProcess.Measured m = measured("sample", "--from", run.getFileName().toString(), "-o", name + "-samples",
                "--set", "sample.count=64", "--set", "eval.plots=false");
        assertThat(m.result().exitCode()).as(name + ": " + m.result().all()).isZero();
        assertThat(m.result().err()).as(name).contains("score4j: skipping an unreadable checkpoint: ")
                .contains(dir.relativize(newest).toString());
        assertSafe(name, m);
        assertThat(Files.readString(dir.resolve(name + "-samples/provenance.json")))
                .contains(org.score4j.api.spi.Fingerprint.sha256(run.resolve("checkpoints/step-0000000010.safetensors")));
    }

    @Test
    void aSerializedGadgetIsNeverDeserialized() throws Exception {
        Path marker = dir.resolve("canary-fired");
        ByteArrayOutputStream gadget = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(gadget)) {
            out.writeObject(new Canary(marker));
        }
        hostileCheckpoint("gadget", gadget.toByteArray());
        // The same gadget in a score4j 1.x checkpoint's preprocessor.bin, the entry DL4J deserialized.
        Path old = dir.resolve("old");
        Files.createDirectories(old.resolve("checkpoints"));
        Files.copy(dir.resolve("run/config.conf"), old.resolve("config.conf"));
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(old.resolve("checkpoints/step-0000000020.zip")))) {
            zip.putNextEntry(new ZipEntry("model.bin"));
            ByteArrayOutputStream inner = new ByteArrayOutputStream();
            try (ZipOutputStream model = new ZipOutputStream(inner)) {
                model.putNextEntry(new ZipEntry("preprocessor.bin"));
                model.write(gadget.toByteArray());
            }
            zip.write(inner.toByteArray());
        }
        Score4jProcess.Measured m = measured("sample", "--from", "old", "-o", "old-samples");
        assertRefused("old checkpoint", m, 2, "holds only score4j 1.x checkpoints");
        assertThat(marker).as("the gadget's readObject never ran").doesNotExist();
    }

    @Test
    void checkpointsWithHugeOrLyingSizesAreRefusedBeforeAllocating() throws Exception {
        hostileCheckpoint("huge-header", le(1_000_000_000_000L));
        hostileCheckpoint("huge-tensor", safetensors("{\"parameters\":{\"dtype\":\"F32\",\"shape\":[1000000000000],"
                + "\"data_offsets\":[0,4000000000000]}}", 16));
        hostileCheckpoint("huge-shape", safetensors("{\"parameters\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,"
                + "2147483647],\"data_offsets\":[0,8]}}", 8));
        ByteArrayOutputStream zipBomb = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipBomb)) {
            zip.putNextEntry(new ZipEntry("model.bin"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                zip.write(zeros);
            }
        }
        hostileCheckpoint("zip-bomb", zipBomb.toByteArray());
        hostileCheckpoint("empty", new byte[0]);
    }

    @Test
    void aPipeOrADeviceAsACheckpointIsNeverOpened() throws Exception {
        Path run = copyOfTheRun("fifo");
        Path newest = run.resolve("checkpoints/step-0000000020.safetensors");
        Files.delete(newest);
        Process mkfifo = new ProcessBuilder("mkfifo", newest.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        expectOlderCheckpointUsed("fifo", run, newest);

        run = copyOfTheRun("zero");
        newest = run.resolve("checkpoints/step-0000000020.safetensors");
        Files.delete(newest);
        Files.createSymbolicLink(newest, Path.of("/dev/zero"));
        expectOlderCheckpointUsed("zero", run, newest);
    }

    @Test
    void aCheckpointWhoseConfigurationIncludesAUrlNeverReachesTheNetwork() throws Exception {
        Path run = copyOfTheRun("include-in-checkpoint");
        Path newest = run.resolve("checkpoints/step-0000000020.safetensors");
        byte[] bytes = Files.readAllBytes(newest);
        // The stored configuration starts with "seed": make it include a URL first (same length keeps the offsets).
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\"config\":\"") + 10;
        String include = "include url(\\\"" + url + "\\\")\\n";
        text = text.substring(0, at) + include + text.substring(at);
        byte[] edited = text.getBytes(StandardCharsets.ISO_8859_1);
        long header = ByteBuffer.wrap(edited, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() + include.length();
        ByteBuffer.wrap(edited, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(header);
        Files.write(newest, edited);
        expectOlderCheckpointUsed("include-in-checkpoint", run, newest);
    }

    @Test
    void aRunWhoseConfigIncludesAUrlIsRefusedWithoutARequest() throws Exception {
        Path run = copyOfTheRun("include-in-run");
        Files.writeString(run.resolve("config.conf"), "include url(\"" + url + "\")\n"
                + Files.readString(run.resolve("config.conf")));
        assertRefused("sample --from", measured("sample", "--from", "include-in-run", "-o", "x"), 2,
                "include-in-run/config.conf", "is not allowed here");
        assertRefused("train --resume", measured("train", "--resume", "include-in-run", "--set", "train.steps=30"), 2,
                "include-in-run/config.conf", "is not allowed here");
        Files.writeString(dir.resolve("user.conf"), "include url(\"" + url + "\")\n");
        assertRefused("a user's file", measured("train", "-c", "user.conf"), 2, "user.conf", "never reads configuration "
                + "from the network");
    }

    @Test
    void deeplyNestedConfigurationIsRefused() throws Exception {
        Files.writeString(dir.resolve("deep.conf"), "a = " + "{b = ".repeat(20_000) + "1" + "}".repeat(20_000));
        assertRefused("deep", measured("train", "-c", "deep.conf"), 2, "deep.conf",
                "nests objects and lists deeper than 64 levels");
    }

    @Test
    void configurationValuesThatImplyHugeAllocationsAreRefusedNamingTheKey() throws Exception {
        assertRefused("hidden", measured("train", "--set", "model.hidden=1e9"), 2, "model.hidden");
        assertRefused("embedding", measured("train", "--set", "model.embedding=1e8"), 2, "model.embedding");
        assertRefused("layers", measured("train", "--set", "model.layers=100000"), 2, "model");
        assertRefused("levels", measured("train", "--set", "schedule.levels=1e9"), 2, "schedule.levels");
        assertRefused("batch", measured("train", "--set", "train.batch-size=1e8"), 2, "train.batch-size");
        assertRefused("reference", measured("train", "--set", "eval.reference-samples=1e9"), 2,
                "eval.reference-samples");
    }

    @Test
    void dataFilesThatAreBombsAreRefusedNamingTheFile() throws Exception {
        // An IDX header announcing 2^31 − 1 images, gzipped: refused before decompressing further.
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(ByteBuffer.allocate(16).putInt(0x803).putInt(Integer.MAX_VALUE).putInt(28).putInt(28).array());
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) {
                out.write(zeros);
            }
        }
        Files.write(dir.resolve("bomb.idx.gz"), gz.toByteArray());
        assertRefused("gzip bomb", measured("train", "--set", "data.name=idx", "--set", "data.images=bomb.idx.gz",
                "--set", "model.name=ncsn-unet"), 2, "data.images", "bomb.idx.gz");
        // A PNG whose header announces 20000×20000 pixels.
        Files.createDirectories(dir.resolve("pngs"));
        Files.write(dir.resolve("pngs/big.png"), png(20000, 20000));
        assertRefused("png bomb", measured("train", "--set", "data.name=image-folder", "--set", "data.path=pngs",
                "--set", "model.name=ncsn-unet"), 2, "data.path", "big.png is 20000×20000 pixels");
        // A 2 MB CSV with 100 000 columns.
        StringBuilder wide = new StringBuilder();
        for (int row = 0; row < 10; row++) {
            wide.append("1,".repeat(99_999)).append("1\n");
        }
        Files.writeString(dir.resolve("wide.csv"), wide);
        assertRefused("wide csv", measured("train", "--set", "data.name=csv", "--set", "data.path=wide.csv"), 2,
                "data.path", "wide.csv line 1: 100000 columns, more than the 65536 score4j reads");
    }

    @Test
    void forceLeavesAForeignFileUntouched() throws Exception {
        Path run = copyOfTheRun("force");
        Files.writeString(run.resolve("notes.txt"), "a user's notes");
        Files.writeString(run.resolve("checkpoints/backup.zip.tmp"), "a user's backup");
        var r = Score4jProcess.run(dir, "train", "-o", "force", "--force", "--set", "train.steps=5",
                "--set", "model.hidden=16", "--set", "eval.plots=false", "--set", "eval.fisher-samples=50");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(run.resolve("notes.txt")).hasContent("a user's notes");
        assertThat(run.resolve("checkpoints/backup.zip.tmp")).hasContent("a user's backup");
        assertThat(run.resolve("checkpoints/step-0000000010.safetensors")).as("the earlier run's own checkpoint")
                .doesNotExist();
    }

    private static Score4jProcess.Measured measured(String... args) throws Exception {
        return Score4jProcess.runMeasured(dir, ENV, args);
    }

    private static void assertRefused(String name, Score4jProcess.Measured m, int code, String... mentions) {
        assertThat(m.result().exitCode()).as(name + ": " + m.result().all()).isEqualTo(code);
        assertThat(m.result().err()).as(name).startsWith("score4j: ").doesNotContain("internal error")
                .doesNotContain("\tat ");
        for (String s : mentions) {
            assertThat(m.result().err()).as(name).contains(s);
        }
        assertSafe(name, m);
    }

    private static void assertSafe(String name, Score4jProcess.Measured m) {
        assertThat(m.peakKib()).as(name + ": peak resident memory in KiB").isPositive()
                .isLessThan(BUDGET_MIB * 1024);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as(name + ": JVM crash files")
                    .noneMatch(f -> f.startsWith("hs_err"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(List.of(UserError.FAILED, UserError.USAGE, 0)).as(name + ": a documented exit code")
                .contains(m.result().exitCode());
    }

    private static Path copyOfTheRun(String name) throws Exception {
        Path target = dir.resolve(name);
        try (Stream<Path> files = Files.walk(dir.resolve("run"))) {
            for (Path f : files.toList()) {
                Path to = target.resolve(dir.resolve("run").relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else if (!f.getFileName().toString().equals(".score4j.lock")) {
                    Files.copy(f, to);
                }
            }
        }
        return target;
    }

    private static byte[] le(long headerLength) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).putLong(0).array();
    }

    private static byte[] safetensors(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array();
    }

    /** A PNG signature and an IHDR chunk announcing a grey image of w×h, then an empty IDAT and IEND. */
    private static byte[] png(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        List<byte[]> chunks = new ArrayList<>();
        chunks.add(ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunks.add("IDAT".getBytes(StandardCharsets.US_ASCII));
        chunks.add("IEND".getBytes(StandardCharsets.US_ASCII));
        for (byte[] c : chunks) {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(c);
            b.putInt(c.length - 4).put(c).putInt((int) crc.getValue());
        }
        return b.array();
    }
}
