package org.score4j.core.study;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.score4j.core.output.RunDirectory;
import org.score4j.core.plots.StudyPlots;

/** Writes a study's tables and figures into its directory. */
public final class StudyReport {
    /** The files {@link #write} produces. */
    public static final List<String> FILES = List.of("summary.md", "summary.csv", "study.csv", "metric.png", "samples.png");

    private StudyReport() {
    }

    /** Writes the tables and figures of {@code table} into {@code dir}, replacing those of an earlier run. */
    public static void write(StudyDefinition study, StudyTable table, RunDirectory dir) {
        dir.writeText("summary.md", table.markdown());
        dir.writeText("summary.csv", table.summaryCsv());
        dir.writeText("study.csv", table.cellsCsv());
        List<String> labels = table.rows().stream().map(StudyTable.Row::label).toList();
        try {
            MetricColumn plotted = study.plotted(table.columns());
            if (plotted != null) {
                int c = table.columns().indexOf(plotted);
                StudyPlots.bars(dir.file("metric.png"), study.name() + ": " + plotted.name()
                                + (study.seeds().size() > 1 ? " (mean ± std over seeds; dots: each seed)" : ""),
                        labels, table.rows().stream().mapToDouble(r -> r.mean()[c]).toArray(),
                        table.rows().stream().mapToDouble(r -> r.std()[c]).toArray(),
                        table.rows().stream().map(r -> r.values()[c]).toArray(double[][]::new));
            }
            List<Path> images = new ArrayList<>();
            for (StudyTable.Row r : table.rows()) {
                String id = r.cells().stream().filter(o -> o.status() != CellOutcome.Status.FAILED)
                        .map(o -> o.cell().id()).findFirst().orElse(r.cells().get(0).cell().id());
                images.add(dir.resolve("cells").resolve(id).resolve("samples.png"));
            }
            int last = study.grid().isEmpty() ? 3 : study.grid().get(study.grid().size() - 1).values().size();
            StudyPlots.montage(dir.file("samples.png"), study.name() + ": samples of each cell (seed "
                    + study.seeds().get(0) + ")", labels, images, last <= 4 ? last : 3);
        } catch (IOException e) {
            throw org.score4j.core.UserError.io("draw the figures of the study in", dir.path(), e);
        }
    }
}
