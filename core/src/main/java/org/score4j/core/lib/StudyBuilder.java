package org.score4j.core.lib;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.score4j.core.RunProgress;
import org.score4j.core.UserError;
import org.score4j.core.app.Application;
import org.score4j.core.engine.Engine;
import org.score4j.core.engine.EngineSettings;
import org.score4j.core.engine.Engines;
import org.score4j.core.study.CellOutcome;
import org.score4j.core.study.StudyDefinition;
import org.score4j.core.study.StudyTable;

/**
 * A study under construction: a base run, the keys to vary (every combination is a cell), the seeds and the columns —
 * what a study file holds. {@link #run()} checks it as {@code score4j ablate} checks a file (every cell before anything
 * runs), runs it, and returns its table; {@link #hocon()} renders it as the study file {@code ablate -c} accepts.
 */
public final class StudyBuilder {
    private final Application application;
    private final Path plugins;
    private final String name;
    private Config base = ConfigFactory.empty();
    private final Map<String, List<Object>> grid = new LinkedHashMap<>();
    private final List<Integer> seeds = new ArrayList<>();
    private final List<Map<String, String>> metrics = new ArrayList<>();
    private String plot = "";
    private Path out;
    private int jobs = 1;
    private RunProgress progress = RunProgress.NONE;

    public StudyBuilder(Application application, Path plugins, String name) {
        this.application = Objects.requireNonNull(application, "application");
        this.plugins = Objects.requireNonNull(plugins, "plugins");
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The run every cell starts from (its keys, not its output settings). */
    public StudyBuilder base(RunBuilder run) {
        base = run.user().withFallback(base);
        return this;
    }

    /** One key of the base run. */
    public StudyBuilder set(String key, Object value) {
        base = base.withValue(key, ConfigValueFactory.fromAnyRef(value));
        return this;
    }

    /** A key every value of which is tried, crossed with the other varied keys. */
    public StudyBuilder vary(String key, Object... values) {
        if (values.length == 0) {
            throw new UserError("study." + "grid." + key + ": give at least one value");
        }
        grid.put(key, List.of(values));
        return this;
    }

    /** The seeds every cell runs with. */
    public StudyBuilder seeds(int... values) {
        seeds.clear();
        for (int s : values) {
            seeds.add(s);
        }
        return this;
    }

    /** A column: a path into each cell's {@code metrics.json}, shown as {@code title}. */
    public StudyBuilder metric(String title, String path) {
        metrics.add(Map.of("name", title, "path", path));
        return this;
    }

    /** The column drawn in {@code metric.png}. */
    public StudyBuilder plot(String column) {
        this.plot = Objects.requireNonNull(column, "column");
        return this;
    }

    /** Where the study writes (default: {@code runs/study-<name>}). */
    public StudyBuilder out(Path directory) {
        this.out = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /** Cells or trainings at a time. */
    public StudyBuilder jobs(int jobs) {
        this.jobs = jobs;
        return this;
    }

    /** Where progress goes (default: nowhere). */
    public StudyBuilder progress(RunProgress progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
        return this;
    }

    /** The study as the file {@code score4j ablate -c} accepts. */
    public String hocon() {
        return study().root().render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false)
                .setJson(false).setFormatted(true));
    }

    private Config study() {
        Config c = ConfigFactory.empty().withValue("study.name", ConfigValueFactory.fromAnyRef(name))
                .withValue("study.base", base.root());
        for (Map.Entry<String, List<Object>> e : grid.entrySet()) {
            c = c.withValue("study.grid." + e.getKey(), ConfigValueFactory.fromIterable(e.getValue()));
        }
        if (!seeds.isEmpty()) {
            c = c.withValue("study.seeds", ConfigValueFactory.fromIterable(seeds));
        }
        if (!metrics.isEmpty()) {
            c = c.withValue("study.metrics", ConfigValueFactory.fromIterable(metrics));
        }
        if (!plot.isEmpty()) {
            c = c.withValue("study.plot", ConfigValueFactory.fromAnyRef(plot));
        }
        return c;
    }

    /**
     * Runs the study and returns its table.
     *
     * @throws UserError listing every problem of the study or of any cell, before anything runs
     */
    public StudyResult run() {
        StudyDefinition definition = StudyDefinition.of(study(), "study '" + name + "'", name, Path.of("."));
        Path dir = out != null ? out : Path.of("runs", "study-" + name.replaceAll("[^A-Za-z0-9._-]", "_"));
        application.resolveAll(definition.cells());
        int cores = Runtime.getRuntime().availableProcessors();
        int n = Math.max(1, Math.min(jobs, cores));
        StudyTable table;
        try (Engine engine = Engines.open(Engines.LOCAL, EngineSettings.local(plugins, application.steps(), progress, n))) {
            table = application.ablate(definition, dir, engine, progress);
        }
        List<StudyResult.Row> rows = new ArrayList<>();
        for (StudyTable.Row r : table.rows()) {
            int failed = (int) r.failed();
            rows.add(new StudyResult.Row(r.label(), r.factors(), r.mean(), r.std(), r.cells().size() - failed, failed));
        }
        return new StudyResult(dir, table.columns().stream().map(c -> c.name()).toList(), rows, table.markdown());
    }

    /** How many cells failed, for programs that stop on failure. */
    static long failures(StudyTable table) {
        return table.rows().stream().flatMap(r -> r.cells().stream()).filter(o -> o.status() == CellOutcome.Status.FAILED)
                .count();
    }
}
