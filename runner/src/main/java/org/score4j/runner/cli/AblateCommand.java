package org.score4j.runner.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.runner.UserError;
import org.score4j.runner.engine.Engine;
import org.score4j.runner.output.RunDirectory;
import org.score4j.runner.plugins.Catalog;
import org.score4j.runner.study.Cell;
import org.score4j.runner.study.StudyDefinition;
import org.score4j.runner.study.StudyReport;
import org.score4j.runner.study.StudyRunner;
import org.score4j.runner.study.StudyTable;
import org.score4j.runner.wiring.ResolvedRun;
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
        List<Cell> cells = study.cells();
        Workflow workflow = new Workflow(Catalog.discover(plugins), System.out, System.err);
        List<ResolvedRun> runs = resolveAll(workflow, cells);
        if (!engine.local()) {
            if (jobs != 1) {
                throw new UserError("--jobs is for the local engine; the spark engine runs as many cells at a time as "
                        + "its executors have task slots");
            }
            try (Engine e = engine.open(plugins, System.err)) {
                return runStudy(study, cells, workflow, runs, e);
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (jobs < 1) {
            throw new UserError("--jobs expects a number of cells to run at a time ≥ 1, got " + jobs);
        }
        if (jobs > cores) {
            System.err.println("score4j ablate: --jobs " + jobs + " is more than the " + cores + " cores here; using " + cores);
            jobs = cores;
        }
        int nativeThreads = Nd4j.getEnvironment().maxThreads();
        int blasThreads = Nd4j.factory().blas().getMaxThreads();
        if (jobs > 1) {
            // Cells share the cores: each gets its slice instead of all of them fighting over every core.
            int threads = Math.max(1, cores / jobs);
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
        }
        try {
            return runStudy(study, cells, workflow, runs, null);
        } finally {
            Nd4j.getEnvironment().setMaxThreads(nativeThreads);
            Nd4j.factory().blas().setMaxThreads(blasThreads);
        }
    }

    private int runStudy(StudyDefinition study, List<Cell> cells, Workflow workflow, List<ResolvedRun> runs, Engine engine) {
        Path dir = out != null ? out : Path.of("runs", "study-" + study.name().replaceAll("[^A-Za-z0-9._-]", "_"));
        RunDirectory target = RunDirectory.create(dir, true);
        copyStudyFile(target);
        System.err.println("score4j ablate: study '" + study.name() + "' -> " + dir);
        StudyRunner runner = new StudyRunner(workflow.catalog(), System.err);
        List<StudyRunner.Outcome> outcomes = engine == null ? runner.run(cells, runs, dir, jobs)
                : engine.runStudy(cells, runs, dir, runner);
        StudyTable table = new StudyTable(study, outcomes);
        StudyReport.write(study, table, target);
        System.out.print(table.markdown());
        System.out.println("wrote " + dir + " (" + String.join(", ", StudyReport.FILES) + ", cells/, models/)");
        long failed = outcomes.stream().filter(o -> o.status() == StudyRunner.Status.FAILED).count();
        if (failed > 0) {
            System.err.println("score4j ablate: " + failed + " of " + cells.size() + " cells failed (see error.txt in each); "
                    + "rerun the same command to retry them");
            return UserError.FAILED;
        }
        return 0;
    }

    /** Every cell's configuration, checked before anything runs; all problems reported at once, each with its cells. */
    private static List<ResolvedRun> resolveAll(Workflow workflow, List<Cell> cells) {
        List<ResolvedRun> runs = new ArrayList<>();
        Map<String, List<String>> problems = new LinkedHashMap<>();
        for (Cell cell : cells) {
            try {
                runs.add(workflow.resolve(cell.user()));
            } catch (UserError e) {
                problems.computeIfAbsent(e.getMessage(), k -> new ArrayList<>()).add(cell.title());
            }
        }
        if (!problems.isEmpty()) {
            StringBuilder b = new StringBuilder("the study's cells have configuration problems; nothing was run:");
            problems.forEach((message, titles) -> b.append("\n  in ").append(titles.size() == cells.size() ? "every cell"
                    : titles.size() + " cell" + (titles.size() == 1 ? "" : "s") + " (" + titles.get(0)
                    + (titles.size() > 1 ? ", …" : "") + ")").append(": ").append(message.replace("\n", "\n    ")));
            throw new UserError(b.toString());
        }
        return runs;
    }

    private void copyStudyFile(RunDirectory target) {
        try {
            String text = Files.readString(file);
            String header = "# The study as run" + (overrides.isEmpty() ? "" : ", with --set " + String.join(" --set ", overrides))
                    + "\n";
            target.writeText("study.conf", header + text);
        } catch (IOException e) {
            throw new UserError("cannot read the study file " + file + ": " + e.getMessage());
        }
    }
}
