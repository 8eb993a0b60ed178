package org.score4j.core.training;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.io.SafeTensors;
import org.score4j.core.UserError;
import org.score4j.core.output.RunDirectory;

/**
 * A run's checkpoints: {@code RUN/checkpoints/step-NNNNNNNNNN.safetensors}, the newest few kept. Each is one
 * safetensors file (data only: reading it never runs code) holding the training state as tensors — {@code parameters},
 * {@code optimizer.<name>} for each optimizer state vector, {@code ema} when the run keeps a moving average — and, as
 * metadata strings, the format, step, model name, its configuration section, the model spec (example shape, data
 * scale, initialisation seed, classes), hashes of the resolved configuration and of its training part, the data's
 * fingerprint, the whole resolved configuration and the loss statistics. Training draws step t's randomness from
 * streams derived from (seed, t), so the step number is the whole random state.
 *
 * <p>A checkpoint is written to a temporary file, forced to disk, then renamed: a crash at any moment leaves the newest
 * complete checkpoint readable. Reading checks every size against the file and the memory budget before allocating.
 */
public final class Checkpoints {
    public static final String DIRECTORY = "checkpoints";
    public static final String FORMAT = "score4j-checkpoint/3";
    private static final Pattern NAME = Pattern.compile("step-(\\d{1,18})\\.safetensors");
    private static final Pattern OLD_NAME = Pattern.compile("step-(\\d{1,18})\\.zip");

    private Checkpoints() {
    }

    /**
     * What a checkpoint holds besides the tensors.
     *
     * @param modelName          the model plugin's name
     * @param modelConfig        the model's resolved configuration section (HOCON)
     * @param spec               the spec the model was built with
     * @param step               the step the state is at
     * @param configHash         SHA-256 of the whole resolved configuration
     * @param trainingConfigHash SHA-256 of its training part ({@code ResolvedRun.trainingConfig})
     * @param configText         the whole resolved configuration (HOCON)
     * @param dataFingerprint    the data set's fingerprint
     * @param optimizerName      the optimizer plugin's name
     */
    public record Meta(String modelName, String modelConfig, org.score4j.api.spi.ModelSpec spec, long step,
                       String configHash, String trainingConfigHash, String configText, String dataFingerprint,
                       String optimizerName) {
    }

    /** A checkpoint read back: its file, the file's SHA-256, what it says and the training state. */
    public record Loaded(Path file, String sha256, Meta meta, TrainingState state, Properties training) {
        public long step() {
            return meta.step();
        }
    }

    /** Writes a checkpoint of {@code state} into {@code runDir/checkpoints} and removes all but the newest {@code keep}. */
    public static Path write(RunDirectory run, Meta meta, TrainingState state, Properties training, int keep)
            throws IOException {
        Path dir = run.createDirectories(DIRECTORY);
        Path target = dir.resolve(String.format(Locale.ROOT, "step-%010d.safetensors", meta.step()));
        Path temp = dir.resolve(target.getFileName() + ".tmp");
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("parameters", state.parameters());
        for (int i = 0; i < state.stateNames().size(); i++) {
            tensors.put("optimizer." + state.stateNames().get(i), state.optimizerState().get(i));
        }
        if (state.average() != null) {
            tensors.put("ema", state.average());
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("step", Long.toString(meta.step()));
        m.put("model", meta.modelName());
        m.put("model.config", meta.modelConfig());
        m.put("model.example-shape", join(meta.spec().exampleShape()));
        m.put("model.data-scale", Double.toHexString(meta.spec().dataScale()));
        m.put("model.seed", Long.toString(meta.spec().seed()));
        m.put("model.classes", Integer.toString(meta.spec().classes()));
        m.put("optimizer", meta.optimizerName());
        m.put("optimizer.state", String.join(",", state.stateNames()));
        m.put("config-hash", meta.configHash());
        m.put("training-config-hash", meta.trainingConfigHash());
        m.put("data-fingerprint", meta.dataFingerprint());
        m.put("config", meta.configText());
        m.put("training", text(training));
        run.recordFile(target);
        try (OutputStream file = Files.newOutputStream(temp)) {
            SafeTensors.write(file, tensors, m);
        }
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Not every file system can sync a directory; the rename itself is atomic.
        }
        List<Path> all = list(run.path());
        for (int i = keep; i < all.size(); i++) {
            Files.deleteIfExists(all.get(i));
        }
        try (Stream<Path> s = Files.list(dir)) {
            // Left by a process killed while writing; never read.
            for (Path stale : s.filter(f -> NAME.matcher(f.getFileName().toString().replaceAll("\\.tmp$", "")).matches()
                    && f.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.deleteIfExists(stale);
            }
        }
        return target;
    }

    /** The checkpoint files of a run, newest first. */
    public static List<Path> list(Path runDir) {
        return list(runDir, NAME);
    }

    private static List<Path> list(Path runDir, Pattern name) {
        Path dir = runDir.resolve(DIRECTORY);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> name.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong((Path p) -> stepOf(p, name)).reversed()).toList();
        } catch (IOException e) {
            throw new UserError("cannot list " + dir + ": " + e.getMessage());
        }
    }

    /**
     * The newest checkpoint of a run that can be read; an unreadable newer one is reported to {@code warn} and skipped.
     *
     * @throws UserError if the run has no readable checkpoint, naming each file and its problem
     */
    public static Loaded newest(Path runDir, long budget, Consumer<String> warn) {
        List<String> problems = new ArrayList<>();
        for (Path file : list(runDir)) {
            try {
                Loaded loaded = read(file, budget);
                problems.forEach(p -> warn.accept("skipping an unreadable checkpoint: " + p));
                return loaded;
            } catch (UserError e) {
                problems.add(e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            List<Path> old = list(runDir, OLD_NAME);
            if (!old.isEmpty()) {
                throw new UserError(runDir.resolve(DIRECTORY) + " holds only score4j 1.x checkpoints (" + old.get(0)
                        .getFileName() + ": format score4j-checkpoint/2, a zip with the model in Deeplearning4j's "
                        + "serialized form). score4j 2.0 does not read that format, because reading it can run code; "
                        + "retrain the run with score4j 2.0 (its checkpoints are safetensors files).");
            }
            throw new UserError("no checkpoint in " + runDir.resolve(DIRECTORY) + " (was the run trained?)");
        }
        throw new UserError("no readable checkpoint in " + runDir.resolve(DIRECTORY) + ":\n  " + String.join("\n  ", problems));
    }

    /**
     * Reads one checkpoint file.
     *
     * @throws UserError naming the file and what is wrong with it
     */
    public static Loaded read(Path file, long budget) {
        try (SafeTensors t = SafeTensors.open(file, budget)) {
            Map<String, String> m = t.metadata();
            if (!FORMAT.equals(m.get("format"))) {
                throw new UserError(file + " is not a score4j checkpoint (its metadata has format '" + m.get("format")
                        + "', expected " + FORMAT + ")");
            }
            Meta meta = meta(file, m);
            // Both configurations are read as data now, so a checkpoint whose text is not that is unreadable here.
            org.score4j.core.config.ConfigSources.parse(meta.configText(), file);
            org.score4j.core.config.ConfigSources.parse(meta.modelConfig(), file);
            SafeTensors.Entry p = t.entry("parameters");
            if (p == null || p.shape().length != 1) {
                throw new UserError("checkpoint " + file + " has no flat 'parameters' tensor");
            }
            long[] shape = p.shape();
            INDArray parameters = t.read("parameters", shape);
            List<String> names = m.getOrDefault("optimizer.state", "").isEmpty() ? List.of()
                    : List.of(m.get("optimizer.state").split(","));
            List<INDArray> optimizer = new ArrayList<>();
            for (String name : names) {
                optimizer.add(t.read("optimizer." + name, shape));
            }
            INDArray ema = t.entry("ema") != null ? t.read("ema", shape) : null;
            Properties training = new Properties();
            training.load(new ByteArrayInputStream(m.getOrDefault("training", "").getBytes(StandardCharsets.UTF_8)));
            return new Loaded(file, sha256(file), meta, TrainingState.of(parameters, names, optimizer, ema, meta.step()),
                    training);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError("no checkpoint at " + file);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError("checkpoint " + file + " cannot be read: " + e.getMessage().replace(file + ": ", ""));
        }
    }

    private static Meta meta(Path file, Map<String, String> m) {
        try {
            long[] shape = java.util.Arrays.stream(required(file, m, "model.example-shape").split(","))
                    .mapToLong(Long::parseLong).toArray();
            org.score4j.api.spi.ModelSpec spec = new org.score4j.api.spi.ModelSpec(shape,
                    Double.parseDouble(required(file, m, "model.data-scale")), Long.parseLong(required(file, m, "model.seed")),
                    Integer.parseInt(required(file, m, "model.classes")));
            return new Meta(required(file, m, "model"), required(file, m, "model.config"), spec,
                    Long.parseLong(required(file, m, "step")), required(file, m, "config-hash"),
                    required(file, m, "training-config-hash"), required(file, m, "config"),
                    required(file, m, "data-fingerprint"), required(file, m, "optimizer"));
        } catch (IllegalArgumentException e) {
            throw new UserError("checkpoint " + file + " has malformed metadata: " + e.getMessage());
        }
    }

    private static String required(Path file, Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new UserError("checkpoint " + file + " has no '" + key + "' in its metadata");
        }
        return v;
    }

    /** The SHA-256 of a file, streamed. */
    public static String sha256(Path file) throws IOException {
        return org.score4j.api.spi.Fingerprint.sha256(file);
    }

    private static long stepOf(Path file, Pattern name) {
        Matcher m = name.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String join(long[] values) {
        return java.util.Arrays.stream(values).mapToObj(Long::toString).collect(java.util.stream.Collectors.joining(","));
    }

    private static String text(Properties p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.store(out, null);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
