package org.score4j.core.lib;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.score4j.api.ScoreModel;
import org.score4j.core.RunProgress;
import org.score4j.core.app.Application;
import org.score4j.core.app.RunResult;
import org.score4j.core.engine.Engine;
import org.score4j.core.engine.EngineSettings;
import org.score4j.core.engine.Engines;

/**
 * A trained run: its model (a {@link ScoreModel}, so any sampler or a program can use its score), its training curve
 * and metrics, its directory, and — when it was built with {@link RunBuilder#run()} — its samples. {@link #sample}
 * draws more, as {@code score4j sample --from} does.
 */
public final class TrainedRun {
    private final Application application;
    private final RunResult result;
    private final RunProgress progress;

    TrainedRun(Application application, RunResult result, RunProgress progress) {
        this.application = Objects.requireNonNull(application, "application");
        this.result = Objects.requireNonNull(result, "result");
        this.progress = progress;
    }

    /** The trained model, scoring with the parameters samples use (the moving average where the run keeps one). */
    public ScoreModel model() {
        return result.training().model();
    }

    /** Where the run wrote. */
    public Path directory() {
        return result.directory();
    }

    /** What training gave. */
    public TrainingSummary training() {
        return TrainingSummary.of(result.training());
    }

    /** Every metric written, as {@code metrics.json} holds them. */
    public Map<String, Object> metrics() {
        return result.metrics();
    }

    /** The samples drawn with the run, when it was built with {@link RunBuilder#run()}. */
    public java.util.Optional<Samples> samples() {
        return result.sampled() == null ? java.util.Optional.empty() : java.util.Optional.of(new Samples(
                result.sampled().samples(), SampleMetrics.of(result.metrics()), result.directory(), result.metrics()));
    }

    /** {@code count} samples with the run's sampler and grid, into {@code directory()/sample-<count>}. */
    public Samples sample(int count) {
        return sample(count, Map.of());
    }

    /**
     * {@code count} samples with sampling keys changed, e.g. {@code Map.of("sampler.name", "edm")}; only sampler, sample
     * and eval keys may change (the model is used as it was trained).
     */
    public Samples sample(int count, Map<String, Object> sampling) {
        List<String> overrides = new ArrayList<>();
        overrides.add("sample.count=" + count);
        overrides.add("sample.batch-size=" + Math.min(count, 4096));
        sampling.forEach((k, v) -> overrides.add(k + "=" + com.typesafe.config.ConfigValueFactory.fromAnyRef(v)
                .render(com.typesafe.config.ConfigRenderOptions.concise())));
        Path out = directory().resolve("sample-" + count + (sampling.isEmpty() ? "" : "-" + Integer.toHexString(
                sampling.hashCode())));
        try (Engine engine = Engines.open(Engines.LOCAL, EngineSettings.local(Path.of("plugins"), application.steps(),
                progress, 1))) {
            RunResult r = application.sample(directory(), overrides, out, true, engine, progress);
            return new Samples(r.sampled().samples(), SampleMetrics.of(r.metrics()), r.directory(), r.metrics());
        }
    }

    /**
     * The held-out likelihood of the model on {@code examples} examples, into {@code directory()/likelihood-<n>}, with
     * {@code eval.likelihood} keys changed as given (e.g. {@code Map.of("eval.likelihood.divergence", "hutchinson")}).
     */
    public Likelihood likelihood(int examples, Map<String, Object> settings) {
        List<String> overrides = new ArrayList<>();
        settings.forEach((k, v) -> overrides.add(k + "=" + com.typesafe.config.ConfigValueFactory.fromAnyRef(v)
                .render(com.typesafe.config.ConfigRenderOptions.concise())));
        Path out = directory().resolve("likelihood-" + examples + (settings.isEmpty() ? "" : "-"
                + Integer.toHexString(settings.hashCode())));
        RunResult r = application.likelihood(directory(), overrides, examples, out, true,
                progress == null ? RunProgress.NONE : progress);
        @SuppressWarnings("unchecked")
        Map<String, Object> section = (Map<String, Object>) r.metrics().get("likelihood");
        return Likelihood.of(r.directory(), section);
    }

    /** The held-out likelihood on {@code examples} examples with the run's {@code eval.likelihood} settings. */
    public Likelihood likelihood(int examples) {
        return likelihood(examples, Map.of());
    }
}
