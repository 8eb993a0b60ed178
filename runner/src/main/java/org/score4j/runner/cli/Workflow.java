package org.score4j.runner.cli;

import com.google.inject.Guice;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.ScoreFunction;
import org.score4j.api.spi.Fingerprint;
import org.score4j.api.spi.ModelFactory;
import org.score4j.runner.ComponentKind;
import org.score4j.runner.ProgressBar;
import org.score4j.runner.UserError;
import org.score4j.runner.evaluation.Evaluation;
import org.score4j.runner.evaluation.SampleMetrics;
import org.score4j.runner.output.Provenance;
import org.score4j.runner.output.RunDirectory;
import org.score4j.runner.plugins.Catalog;
import org.score4j.runner.sampling.ChainSampling;
import org.score4j.runner.training.Checkpoints;
import org.score4j.runner.training.Trainer;
import org.score4j.runner.training.TrainingResult;
import org.score4j.runner.wiring.ComponentResolver;
import org.score4j.runner.wiring.PluginModule;
import org.score4j.runner.wiring.ResolvedRun;

/** The steps of the run-like commands, shared by {@code run}, {@code train} and {@code sample}. */
final class Workflow {
    private final PrintStream out;
    private final PrintStream err;
    private final Catalog catalog;
    private final ComponentResolver resolver;

    Workflow(Path pluginDir, PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        this.catalog = Catalog.discover(pluginDir);
        this.resolver = Guice.createInjector(new PluginModule(catalog)).getInstance(ComponentResolver.class);
    }

    Catalog catalog() {
        return catalog;
    }

    /** The {@code run} and {@code train} commands: resolve the user's configuration, train, and sample when asked. */
    static int train(String command, CommonOptions options, boolean sample) {
        Workflow w = new Workflow(options.plugins, System.out, System.err);
        ResolvedRun run = w.resolve(org.score4j.runner.config.ConfigSources.user(options.config, options.overrides));
        return w.execute(command, run, options.out, options.force, true, sample, null);
    }

    ResolvedRun resolve(Config user) {
        return resolver.resolve(user);
    }

    /** Trains (when {@code train}) and samples (when {@code sample}) into a fresh output directory. */
    int execute(String command, ResolvedRun run, Path outDir, boolean force, boolean train, boolean sample,
                Path checkpoint) {
        RunDirectory dir = RunDirectory.create(outDir != null ? outDir : defaultOut(), force);
        String rendered = run.resolved().root().render(ConfigRenderOptions.defaults().setOriginComments(false)
                .setComments(false).setJson(false));
        String configHash = Fingerprint.sha256(rendered);
        dir.writeText("config.conf", "# The resolved configuration of this run; rerun it with: score4j run -c config.conf\n"
                + rendered);
        dir.writeJson("provenance.json", Provenance.of(run, catalog, configHash, command));
        err.println("score4j " + command + ": " + summary(run) + " -> " + dir.path());

        TrainingResult trained = null;
        ScoreFunction score;
        if (train) {
            ProgressBar bar = new ProgressBar("train", err);
            trained = new Trainer(run, dir.path(), configHash).train(bar);
            score = trained.model();
        } else {
            Checkpoints.Loaded loaded = Checkpoints.read(checkpoint,
                    catalog.factories(ComponentKind.MODEL, ModelFactory.class));
            if (!loaded.modelName().equals(run.names().get(ComponentKind.MODEL))) {
                throw new UserError("checkpoint " + checkpoint + " holds a '" + loaded.modelName()
                        + "' model but the configuration names model.name = " + run.names().get(ComponentKind.MODEL));
            }
            score = loaded.model();
        }
        INDArray samples = null;
        double seconds = 0;
        if (sample) {
            long t0 = System.nanoTime();
            try {
                samples = ChainSampling.run(score, run.sampler(), run.schedule(), run.sample(), run.seed(),
                        run.data().exampleShape(), new ProgressBar("sample", err));
            } catch (org.score4j.api.NonFiniteException e) {
                throw new UserError("sampling failed: " + e.getMessage(), UserError.FAILED);
            }
            seconds = (System.nanoTime() - t0) / 1e9;
            writeSamples(dir, samples);
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.putAll(Evaluation.evaluate(run, score, samples, trained, seconds, dir));
        dir.writeJson("metrics.json", metrics);
        out.print(report(dir, metrics));
        return 0;
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
                .append(metrics.containsKey("train") ? ", checkpoint.zip, train-log.csv" : "").append(", plots)\n");
        return b.toString();
    }

    private static Path defaultOut() {
        return Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
}
