package org.score4j.runner.cli;

import com.google.inject.Guice;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.ScoreFunction;
import org.score4j.api.spi.Fingerprint;
import org.score4j.api.spi.ModelFactory;
import org.score4j.runner.ComponentKind;
import org.score4j.runner.ProgressBar;
import org.score4j.runner.UserError;
import org.score4j.runner.config.ConfigDiff;
import org.score4j.runner.config.ConfigSources;
import org.score4j.runner.engine.Engine;
import org.score4j.runner.evaluation.Evaluation;
import org.score4j.runner.evaluation.SampleMetrics;
import org.score4j.runner.output.Provenance;
import org.score4j.runner.output.RunDirectory;
import org.score4j.runner.plugins.Catalog;
import org.score4j.runner.plots.Plots;
import org.score4j.runner.sampling.ChainSampling;
import org.score4j.runner.sampling.Trajectory;
import org.score4j.runner.training.Checkpoints;
import org.score4j.runner.training.Trainer;
import org.score4j.runner.training.TrainingResult;
import org.score4j.runner.wiring.ComponentResolver;
import org.score4j.runner.wiring.PluginModule;
import org.score4j.runner.wiring.ResolvedRun;

/**
 * The steps of the run-like commands, shared by {@code run}, {@code train}, {@code sample} and the cells of
 * {@code ablate}.
 */
public final class Workflow {
    private final PrintStream out;
    private final PrintStream err;
    private final Catalog catalog;
    private final ComponentResolver resolver;
    private final Engine engine;

    Workflow(Path pluginDir, PrintStream out, PrintStream err) {
        this(Catalog.discover(pluginDir), out, err);
    }

    /** A workflow over already discovered plugins, reporting to {@code out} (results) and {@code err} (progress). */
    public Workflow(Catalog catalog, PrintStream out, PrintStream err) {
        this(catalog, out, err, null);
    }

    /** As {@link #Workflow(Catalog, PrintStream, PrintStream)}, sampling and training on {@code engine} (null: here). */
    public Workflow(Catalog catalog, PrintStream out, PrintStream err, Engine engine) {
        this.engine = engine;
        this.out = java.util.Objects.requireNonNull(out, "out");
        this.err = java.util.Objects.requireNonNull(err, "err");
        this.catalog = java.util.Objects.requireNonNull(catalog, "catalog");
        this.resolver = Guice.createInjector(new PluginModule(catalog)).getInstance(ComponentResolver.class);
    }

    public Catalog catalog() {
        return catalog;
    }

    /** The {@code run} and {@code train} commands: resolve the user's configuration, train, and sample when asked. */
    static int train(String command, CommonOptions options, EngineOptions engineOptions, boolean sample) {
        Catalog catalog = Catalog.discover(options.plugins);
        ResolvedRun run = new Workflow(catalog, System.out, System.err).resolve(ConfigSources.user(options.config, options.overrides));
        try (Engine engine = engineOptions.open(options.plugins, System.err)) {
            Workflow w = new Workflow(catalog, System.out, System.err, engine);
            RunDirectory dir = RunDirectory.create(options.out != null ? options.out : defaultOut(), options.force);
            return w.execute(command, run, dir, true, sample, null);
        }
    }

    /**
     * {@code train --resume DIR}: continues a run from its newest readable checkpoint with the run's
     * own configuration (plus {@code --set} overrides). A change to anything that shapes training (all but
     * {@code train.steps} and the sampler, sample and eval sections) or to the data is refused unless {@code force}.
     */
    static int resume(String command, CommonOptions options, EngineOptions engineOptions, Path runDir, boolean sample) {
        if (!engineOptions.local()) {
            throw new UserError("--resume continues a run in this process; leave out --engine " + engineOptions.engine);
        }
        if (options.config != null) {
            throw new UserError("--resume continues " + runDir + " with its own config.conf; change keys with --set, not -c");
        }
        if (options.out != null && !options.out.equals(runDir)) {
            throw new UserError("--resume writes into the run it continues (" + runDir + "); -o cannot name another directory");
        }
        Workflow w = new Workflow(options.plugins, System.out, System.err);
        Config user = ConfigSources.over(ConfigSources.user(savedConfig(runDir), List.of()),
                ConfigSources.user(null, options.overrides));
        ResolvedRun run = w.resolve(user);
        Checkpoints.Loaded from = w.checkpoint(runDir, run);
        List<String> changes = new ArrayList<>(ConfigDiff.between(ConfigSources.parse(from.meta().configText(), from.file()),
                run.resolved(), Workflow::irrelevantToTraining));
        String fingerprint = run.data().fingerprint();
        if (!fingerprint.equals(from.meta().dataFingerprint())) {
            changes.add("the data: fingerprint " + abbreviate(from.meta().dataFingerprint()) + " → " + abbreviate(fingerprint));
        }
        if (!changes.isEmpty() && !options.force) {
            throw new UserError("cannot resume " + runDir + " from step " + from.step() + ": it was trained with another "
                    + "configuration or data:\n  " + String.join("\n  ", changes)
                    + "\nPass --force to continue anyway (the run will no longer match an uninterrupted one).");
        }
        if (from.step() >= run.train().steps()) {
            throw new UserError(runDir + " already finished its " + run.train().steps() + " steps (checkpoint at step "
                    + from.step() + "); raise train.steps with --set to train further");
        }
        w.err.println("score4j " + command + ": resuming " + runDir + " from " + from.file().getFileName()
                + " (step " + from.step() + ")");
        return w.execute(command + " --resume", run, RunDirectory.existing(runDir), true, sample, from);
    }

    /** Keys a resumed run may change: its length, and everything that only concerns sampling and evaluation. */
    private static boolean irrelevantToTraining(String key) {
        return key.equals("train.steps") || key.startsWith("sampler.") || key.startsWith("sample.") || key.startsWith("eval.");
    }

    /** The configuration file of a run directory, or a clear error if it is not one. */
    static Path savedConfig(Path runDir) {
        Path saved = runDir.resolve("config.conf");
        if (!Files.isRegularFile(saved)) {
            throw new UserError(runDir + " is not a score4j run directory (no config.conf)");
        }
        return saved;
    }

    /** Resolves a user's configuration against the plugins, or throws a {@link UserError} listing its problems. */
    public ResolvedRun resolve(Config user) {
        return resolver.resolve(user);
    }

    /**
     * The newest readable checkpoint of a run, checked against the configuration it will be used with.
     *
     * @throws UserError if there is none, or it holds another model or a model for another example shape
     */
    public Checkpoints.Loaded checkpoint(Path runDir, ResolvedRun run) {
        Checkpoints.Loaded loaded = Checkpoints.newest(runDir, catalog.factories(ComponentKind.MODEL, ModelFactory.class),
                message -> err.println("score4j: " + message));
        String configured = run.names().get(ComponentKind.MODEL);
        if (!loaded.meta().modelName().equals(configured)) {
            throw new UserError("checkpoint " + loaded.file() + " holds a '" + loaded.meta().modelName()
                    + "' model but the configuration names model.name = " + configured);
        }
        long[] shape = run.data().exampleShape();
        if (!Arrays.equals(loaded.model().exampleShape(), shape)) {
            throw new UserError("checkpoint " + loaded.file() + " holds a model for examples of shape "
                    + Arrays.toString(loaded.model().exampleShape()) + ", but the data '" + run.names().get(ComponentKind.DATA)
                    + "' has examples of shape " + Arrays.toString(shape));
        }
        return loaded;
    }

    /**
     * Trains (when {@code train}; continuing {@code from} if not null) and samples (when {@code sample};
     * the model of {@code from} when not training) into {@code dir}.
     */
    int execute(String command, ResolvedRun run, RunDirectory dir, boolean train, boolean sample, Checkpoints.Loaded from) {
        Map<String, Object> metrics = execute(command, run, dir, train, sample, from, Map.of());
        out.print(report(dir, metrics));
        return 0;
    }

    /**
     * As {@link #execute(String, ResolvedRun, RunDirectory, boolean, boolean, Checkpoints.Loaded)}, with
     * {@code inherited} entries written first into {@code metrics.json} (e.g. the training figures of the model a
     * study cell samples); returns the metrics written, without printing a report.
     */
    public Map<String, Object> execute(String command, ResolvedRun run, RunDirectory dir, boolean train, boolean sample,
                                       Checkpoints.Loaded from, Map<String, Object> inherited) {
        String rendered = render(run.resolved());
        String configHash = Fingerprint.sha256(rendered);
        dir.writeText("config.conf", configFileText(run.resolved()));
        dir.writeJson("provenance.json", Provenance.of(run, catalog, configHash, command));
        err.println("score4j " + command + ": " + summary(run) + " -> " + dir.path());

        TrainingResult trained = null;
        ScoreFunction score;
        if (train) {
            ProgressBar bar = new ProgressBar("train", err);
            trained = engine != null && from == null ? engine.train(run, dir.path(), configHash, rendered, bar)
                    : new Trainer(run, dir.path(), configHash, rendered).train(bar, from);
            score = trained.model();
        } else {
            score = from.model();
        }
        INDArray samples = null;
        double seconds = 0;
        if (sample) {
            long t0 = System.nanoTime();
            try {
                boolean images = Trajectory.drawn(run);
                ProgressBar bar = new ProgressBar("sample", err);
                List<INDArray> snapshots;
                if (engine != null) {
                    Engine.Sampled sampled = engine.sample(run, newestCheckpoint(dir, from), bar);
                    samples = sampled.samples();
                    snapshots = sampled.trajectory();
                } else {
                    Trajectory trajectory = images ? Trajectory.of(score, run) : null;
                    samples = ChainSampling.run(images ? trajectory : score, run.sampler(), run.schedule(), run.sample(),
                            run.seed(), run.data().exampleShape(), bar);
                    snapshots = images ? trajectory.snapshots() : List.of();
                }
                INDArray path = images ? Trajectory.grid(snapshots, samples) : null;
                if (path != null) {
                    try {
                        Plots.imageGrid(dir.resolve("trajectory.png"), path, snapshots.size() + 1, 2);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException("cannot draw " + dir.resolve("trajectory.png"), e);
                    }
                }
            } catch (org.score4j.api.NonFiniteException e) {
                throw new UserError("sampling failed: " + e.getMessage(), UserError.FAILED);
            }
            seconds = (System.nanoTime() - t0) / 1e9;
            writeSamples(dir, samples);
        }
        Map<String, Object> metrics = new LinkedHashMap<>(inherited);
        metrics.putAll(Evaluation.evaluate(run, score, samples, trained, seconds, dir));
        dir.writeJson("metrics.json", metrics);
        return metrics;
    }

    /** The checkpoint an engine samples: the one given, or the newest of the run just trained. */
    private static Path newestCheckpoint(RunDirectory dir, Checkpoints.Loaded from) {
        if (from != null) {
            return from.file();
        }
        return Checkpoints.list(dir.path()).get(0);
    }

    /** A resolved configuration as HOCON text, the form its hash is taken of. */
    public static String render(Config resolved) {
        return resolved.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false)
                .setJson(false));
    }

    /** What {@code config.conf} of a run holds. */
    public static String configFileText(Config resolved) {
        return "# The resolved configuration of this run; rerun it with: score4j run -c config.conf\n" + render(resolved);
    }

    private static String abbreviate(String fingerprint) {
        return fingerprint.length() > 12 ? fingerprint.substring(0, 12) + "…" : fingerprint;
    }

    private static void writeSamples(RunDirectory dir, INDArray samples) {
        double[][] s = SampleMetrics.points(samples);
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < s[0].length; j++) {
            b.append(j == 0 ? "" : ",").append("x").append(j + 1);
        }
        b.append('\n');
        for (double[] row : s) {
            for (int j = 0; j < row.length; j++) {
                b.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6g", row[j]));
            }
            b.append('\n');
        }
        dir.writeText("samples.csv", b.toString());
    }

    private static String summary(ResolvedRun run) {
        StringBuilder b = new StringBuilder();
        for (ComponentKind k : ComponentKind.values()) {
            b.append(k == ComponentKind.DATA ? "" : ", ").append(k.section()).append('=').append(run.names().get(k));
        }
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static String report(RunDirectory dir, Map<String, Object> metrics) {
        StringBuilder b = new StringBuilder();
        if (metrics.get("train") instanceof Map<?, ?> t) {
            b.append(String.format(Locale.ROOT, "trained %s steps in %ss, final loss %s%n", t.get("steps"), t.get("seconds"),
                    t.get("final_loss")));
        }
        if (metrics.get("samples") instanceof Map<?, ?> s) {
            if (s.containsKey("mode_weights")) {
                b.append(String.format(Locale.ROOT, "mode weights %s (expected %s, max error %s)%n",
                        java.util.Arrays.toString((double[]) s.get("mode_weights")),
                        java.util.Arrays.toString((double[]) s.get("expected_mode_weights")), s.get("mode_weight_max_error")));
            }
            b.append(String.format(Locale.ROOT, "sliced W2 %s (data floor %s), MMD² %s (data floor %s)%n",
                    s.get("sliced_wasserstein2"), s.get("sliced_wasserstein2_data_floor"), s.get("mmd2_rbf"),
                    s.get("mmd2_rbf_data_floor")));
        }
        b.append("wrote ").append(dir.path()).append(" (config.conf, provenance.json, metrics.json")
                .append(metrics.containsKey("samples") ? ", samples.csv" : "")
                .append(metrics.containsKey("train") ? ", checkpoints/, train-log.csv" : "").append(", plots)\n");
        return b.toString();
    }

    private static Path defaultOut() {
        return Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
}
