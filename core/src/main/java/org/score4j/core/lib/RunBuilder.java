package org.score4j.core.lib;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import org.score4j.core.RunProgress;
import org.score4j.core.UserError;
import org.score4j.core.app.Application;
import org.score4j.core.app.RunResult;
import org.score4j.core.config.ConfigSources;
import org.score4j.core.config.ConfigText;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.engine.Engine;
import org.score4j.core.engine.EngineSettings;
import org.score4j.core.engine.Engines;

/**
 * A run under construction: component names and keys on top of the defaults, in the order given (a later call wins).
 * Nothing is checked until {@link #resolve}, {@link #train} or {@link #run}, which check everything at once as the
 * command line does and throw a {@link UserError} listing every problem. {@link #hocon()} renders what was built as
 * the configuration file {@code score4j run -c} accepts. Not thread-safe; each builder runs once per call.
 */
public final class RunBuilder {
    private final Application application;
    private final Path plugins;
    private Config user = ConfigFactory.empty();
    private Path out;
    private boolean force;
    private RunProgress progress = RunProgress.NONE;

    public RunBuilder(Application application, Path plugins) {
        this.application = Objects.requireNonNull(application, "application");
        this.plugins = Objects.requireNonNull(plugins, "plugins");
    }

    /** Chooses the data set by name ({@code mixture}, {@code rings}, {@code digits}, {@code csv}, …). */
    public RunBuilder data(String name) {
        return set("data.name", name);
    }

    /** Chooses the model by name ({@code ncsn-mlp}, {@code ncsn-unet}, …). */
    public RunBuilder model(String name) {
        return set("model.name", name);
    }

    /** Chooses the objective by name ({@code dsm}, {@code ssm-vr}, …). */
    public RunBuilder objective(String name) {
        return set("objective.name", name);
    }

    /** Chooses the training schedule by name ({@code geometric}, {@code karras}, …). */
    public RunBuilder schedule(String name) {
        return set("schedule.name", name);
    }

    /** Chooses the sampler by name ({@code annealed-langevin}, {@code edm}, {@code probability-flow}, …). */
    public RunBuilder sampler(String name) {
        return set("sampler.name", name);
    }

    /** Chooses the optimizer by name ({@code adam}, {@code adamw}, {@code sgd}). */
    public RunBuilder optimizer(String name) {
        return set("optimizer.name", name);
    }

    /** Chooses the learning-rate schedule by name ({@code constant}, {@code warmup}, {@code cosine}). */
    public RunBuilder learningRateSchedule(String name) {
        return set("lr-schedule.name", name);
    }

    /** The seed of everything random in the run. */
    public RunBuilder seed(long seed) {
        return set("seed", seed);
    }

    /**
     * Sets one key, e.g. {@code set("train.steps", 2000)}, {@code set("model.multipliers", List.of(1, 2, 2))}. Values
     * are numbers, booleans, strings, lists or maps of them.
     *
     * @throws UserError for a key that is not a key path
     */
    public RunBuilder set(String key, Object value) {
        Objects.requireNonNull(key, "key");
        try {
            ConfigFactory.parseString(key + " = null");
        } catch (com.typesafe.config.ConfigException e) {
            throw new UserError("'" + key + "' is not a valid key path");
        }
        user = user.withValue(key, ConfigValueFactory.fromAnyRef(value, "set(" + key + ")"));
        return this;
    }

    /** Adds configuration given as HOCON text (a run file's content), over what was built so far. */
    public RunBuilder config(String hocon) {
        try {
            user = ConfigText.parse(hocon, "configuration text", ConfigText.Includes.LOCAL).withFallback(user);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        return this;
    }

    /** Adds a configuration file, as {@code score4j run -c FILE} reads it, over what was built so far. */
    public RunBuilder configFile(Path file) {
        user = ConfigSources.user(file, List.of()).withFallback(user);
        return this;
    }

    /** Where the run writes (default: {@code runs/<time>}). */
    public RunBuilder out(Path directory) {
        this.out = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /** Write into a non-empty directory, replacing what score4j wrote there before. */
    public RunBuilder force(boolean force) {
        this.force = force;
        return this;
    }

    /** Where progress goes (default: nowhere). */
    public RunBuilder progress(RunProgress progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
        return this;
    }

    /** What was built, as the HOCON file {@code score4j run -c} accepts. */
    public String hocon() {
        return user.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false)
                .setJson(false).setFormatted(true));
    }

    /** The configuration as the user gave it (before defaults), for studies built on it. */
    Config user() {
        return user;
    }

    /**
     * Checks the configuration against the plugins and creates its components.
     *
     * @throws UserError listing every problem, as the command line does
     */
    public ResolvedRun resolve() {
        return application.resolve(ConfigSources.overlay(user, List.of()));
    }

    /** Trains the run and evaluates the trained score (the {@code train} command). */
    public TrainedRun train() {
        ResolvedRun run = resolve();
        try (Engine engine = local()) {
            return new TrainedRun(application, application.train(run, directory(), force, engine, progress), progress);
        }
    }

    /** Trains the run, samples and evaluates it (the {@code run} command). */
    public TrainedRun run() {
        ResolvedRun run = resolve();
        try (Engine engine = local()) {
            RunResult r = application.run(run, directory(), force, engine, progress);
            return new TrainedRun(application, r, progress);
        }
    }

    private Engine local() {
        return Engines.open(Engines.LOCAL, EngineSettings.local(plugins, application.steps(), progress, 1));
    }

    private Path directory() {
        return out != null ? out : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern(
                "yyyyMMdd-HHmmss-SSS")));
    }
}
