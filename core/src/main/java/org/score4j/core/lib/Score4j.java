package org.score4j.core.lib;

import java.nio.file.Path;
import java.util.Objects;
import org.score4j.api.tensors.ShapeInfoCache;
import org.score4j.core.RunProgress;
import org.score4j.core.UserError;
import org.score4j.core.app.Application;
import org.score4j.core.plugins.Catalog;

/**
 * score4j as a Java library: the entry point of scripts, notebooks and programs. A run is built from component names
 * and configuration keys (or HOCON text), checked as strictly as the command line checks it — the same messages, thrown
 * as {@link UserError}, which a program can catch — and trained, sampled and evaluated into a run directory:
 *
 * <pre>{@code
 * TrainedRun run = Score4j.run().data("rings").objective("ssm-vr").set("train.steps", 2000).train();
 * Samples s = run.sample(1000);
 * System.out.println(s.metrics().slicedWasserstein2() + " (floor " + s.metrics().slicedWasserstein2Floor() + ")");
 * }</pre>
 *
 * <p>{@link #run()} and {@link #study(String)} use the plugins on the class path; {@link #withPlugins(Path)} adds a
 * plugin directory. Discovery happens once per {@code Score4j}. Progress goes to the {@link RunProgress} a builder is
 * given (none by default); the command line's progress bar is one.
 *
 * <p>Loading this class sets ND4J's {@code shapeinfoprovider} system property to {@link ShapeInfoCache} unless it is
 * set already ({@link ShapeInfoCache#install()}), which takes effect if ND4J has not started yet.
 */
public final class Score4j {
    static {
        // For a program whose first use of ND4J comes through this class.
        ShapeInfoCache.install();
    }

    private static volatile Score4j classPath;

    private final Application application;
    private final Path plugins;

    private Score4j(Application application, Path plugins) {
        this.application = application;
        this.plugins = plugins;
    }

    /** score4j over the plugins on the class path (discovered once, on first use). */
    public static Score4j classPath() {
        if (classPath == null) {
            synchronized (Score4j.class) {
                if (classPath == null) {
                    classPath = new Score4j(new Application(Catalog.discover(null)), Path.of("plugins"));
                }
            }
        }
        return classPath;
    }

    /** score4j over the plugins on the class path and in {@code pluginDirectory} (one sub-directory or jar each). */
    public static Score4j withPlugins(Path pluginDirectory) {
        Objects.requireNonNull(pluginDirectory, "pluginDirectory");
        return new Score4j(new Application(Catalog.discover(pluginDirectory)), pluginDirectory);
    }

    /** A new run of the default configuration (the NCSN 2-D mixture experiment) to change with the builder. */
    public static RunBuilder run() {
        return classPath().newRun();
    }

    /** A new study named {@code name} to build. */
    public static StudyBuilder study(String name) {
        return classPath().newStudy(name);
    }

    /** A new run over this instance's plugins. */
    public RunBuilder newRun() {
        return new RunBuilder(application, plugins);
    }

    /** A new study over this instance's plugins. */
    public StudyBuilder newStudy(String name) {
        return new StudyBuilder(application, plugins, name);
    }

    /** The application beneath: the command line's steps, for what the builders do not cover. */
    public Application application() {
        return application;
    }
}
