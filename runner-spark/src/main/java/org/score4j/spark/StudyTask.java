package org.score4j.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.score4j.core.app.Application;
import org.score4j.core.study.Cell;
import org.score4j.core.study.CellOutcome;
import org.score4j.core.study.StudyCells;
import org.score4j.core.config.ResolvedRun;

/**
 * One Spark task of a study: train (or continue) the model a group of cells shares and sample each cell, in a
 * scratch directory of the executor, and hand back every file written there.
 *
 * @param key     the model's key, its directory under {@code models/}
 * @param cells   the group's cells
 * @param model   what the study directory already holds of the model (to continue from its checkpoints)
 * @param plugins the plugin jars shipped with the job, by file name
 */
record StudyTask(String key, List<CellSpec> cells, Map<String, byte[]> model, List<String> plugins) implements Serializable {

    /** A cell in a form that travels: its configuration as text. */
    record CellSpec(String id, LinkedHashMap<String, String> factors, int seed, String user) implements Serializable {
        static CellSpec of(Cell cell) {
            return new CellSpec(cell.id(), new LinkedHashMap<>(cell.factors()), cell.seed(),
                    cell.user().root().render(com.typesafe.config.ConfigRenderOptions.concise()));
        }

        Cell cell() {
            return new Cell(id, factors, seed, ConfigFactory.parseString(user));
        }
    }

    /** A cell's outcome in a form that travels. */
    record CellResult(String id, CellOutcome.Status status, String metrics, String error, double seconds) implements Serializable {
    }

    /** What a task hands back: the files of the model and the cells (relative to the study directory), the outcomes. */
    record Result(Map<String, byte[]> files, List<CellResult> outcomes) implements Serializable {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    Result run() {
        Application app = ExecutorContext.application(plugins);
        Path out;
        try {
            out = Files.createTempDirectory("score4j-study-task");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory for a study task", e);
        }
        try {
            DirectoryBytes.write(out, model);
            List<Cell> group = new ArrayList<>();
            List<ResolvedRun> runs = new ArrayList<>();
            for (CellSpec spec : cells) {
                group.add(spec.cell());
                runs.add(app.resolve(group.get(group.size() - 1).user()));
            }
            List<CellOutcome> outcomes = new StudyCells(app.steps()).runGroup(key, group, runs, out);
            Map<String, byte[]> files = new LinkedHashMap<>(DirectoryBytes.read(out, out.resolve("models").resolve(key)));
            List<CellResult> results = new ArrayList<>();
            for (CellOutcome o : outcomes) {
                files.putAll(DirectoryBytes.read(out, out.resolve("cells").resolve(o.cell().id())));
                results.add(new CellResult(o.cell().id(), o.status(), o.metrics() == null ? null : JSON.writeValueAsString(o.metrics()),
                        o.error(), o.seconds()));
            }
            return new Result(files, results);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            DirectoryBytes.delete(out);
        }
    }
}
