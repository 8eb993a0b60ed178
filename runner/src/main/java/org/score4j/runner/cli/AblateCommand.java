package org.score4j.runner.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.score4j.core.UserError;
import org.score4j.core.app.Application;
import org.score4j.core.engine.Engine;
import org.score4j.core.study.CellOutcome;
import org.score4j.core.study.StudyDefinition;
import org.score4j.core.study.StudyReport;
import org.score4j.core.study.StudyTable;
import org.score4j.runner.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ablate", description = "Run a study: every combination of a grid of overrides (× seeds) as its own "
        + "run, then one table (Markdown and CSV) with mean ± std over seeds and the figures. Rerunning it skips "
        + "finished cells and retries failed ones.")
public final class AblateCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "STUDY", description = "study file, e.g. studies/slow-mixing.conf")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a key of the study file (repeatable), e.g. --set study.seeds=[1] or --set study.base.train.steps=500")
    List<String> overrides = new ArrayList<>();

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "study directory (default: runs/study-<name>); "
            + "rerunning into it resumes the study")
    Path out;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1",
            description = "cells (or trainings) run at a time, at most the number of cores (default: ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--plugins", paramLabel = "DIR", description = "plugin directory (default: ${DEFAULT-VALUE})",
            defaultValue = "${env:SCORE4J_PLUGINS:-plugins}")
    Path plugins;

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Override
    public Integer call() {
        StudyDefinition study = StudyDefinition.read(file, overrides);
        Application app = RunCommands.application(plugins);
        app.resolveAll(study.cells());
        if (!engine.local() && jobs != 1) {
            throw new UserError("--jobs is for the local engine; the spark engine runs as many cells at a time as its "
                    + "executors have task slots");
        }
        if (jobs < 1) {
            throw new UserError("--jobs expects a number of cells to run at a time ≥ 1, got " + jobs);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (jobs > cores) {
            System.err.println("score4j ablate: --jobs " + jobs + " is more than the " + cores + " cores here; using " + cores);
            jobs = cores;
        }
        Path dir = out != null ? out : Path.of("runs", "study-" + study.name().replaceAll("[^A-Za-z0-9._-]", "_"));
        ProgressBar bar = new ProgressBar(System.err);
        bar.note("score4j ablate: study '" + study.name() + "' -> " + dir);
        StudyTable table;
        try (Engine e = engine.open(plugins, app.steps(), bar, jobs)) {
            table = app.ablate(study, dir, e, bar);
        }
        copyStudyFile(dir);
        System.out.print(table.markdown());
        System.out.println("wrote " + dir + " (" + String.join(", ", StudyReport.FILES) + ", cells/, models/)");
        long failed = table.rows().stream().flatMap(r -> r.cells().stream())
                .filter(o -> o.status() == CellOutcome.Status.FAILED).count();
        if (failed > 0) {
            System.err.println("score4j ablate: " + failed + " of " + study.cells().size() + " cells failed (see error.txt "
                    + "in each); rerun the same command to retry them");
            return UserError.FAILED;
        }
        return 0;
    }

    private void copyStudyFile(Path dir) {
        try {
            String text = Files.readString(file);
            String header = "# The study as run" + (overrides.isEmpty() ? "" : ", with --set " + String.join(" --set ", overrides))
                    + "\n";
            Files.writeString(dir.resolve("study.conf"), header + text);
        } catch (IOException e) {
            throw UserError.io("copy the study file into", dir, e);
        }
    }
}
