package org.score4j.core.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.score4j.core.config.ResolvedRun;

/**
 * What a study has to do: its cells with their resolved configurations, the directory it writes to, the outcomes of
 * cells an earlier run finished with the same configuration (null for the others), and the cells still to run grouped
 * by the model they share (cells that differ only in sampling and evaluation share one trained model), in study order.
 */
public record StudyPlan(List<Cell> cells, List<ResolvedRun> runs, Path out, List<CellOutcome> previous,
                        Map<String, List<Integer>> groups) {
    public StudyPlan {
        cells = List.copyOf(cells);
        runs = List.copyOf(runs);
        Objects.requireNonNull(out, "out");
        previous = Collections.unmodifiableList(new ArrayList<>(previous));
        Map<String, List<Integer>> g = new LinkedHashMap<>();
        groups.forEach((k, v) -> g.put(k, List.copyOf(v)));
        groups = Collections.unmodifiableMap(g);
        if (runs.size() != cells.size() || previous.size() != cells.size()) {
            throw new IllegalArgumentException("one run and one earlier outcome per cell");
        }
    }

    /** The number of cells finished by an earlier run. */
    public int reused() {
        return (int) previous.stream().filter(Objects::nonNull).count();
    }
}
