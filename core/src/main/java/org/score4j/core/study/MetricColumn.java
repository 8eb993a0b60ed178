package org.score4j.core.study;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A column of a study's tables: a number found in each cell's {@code metrics.json} by a dotted path, e.g.
 * {@code samples.mode_weights.0} (array elements by index; a negative index counts from the end).
 */
public record MetricColumn(String name, String path) {

    /** The columns a study shows when it names none; those no cell has are left out of its tables. */
    public static final List<MetricColumn> USUAL = List.of(
            new MetricColumn("mode-weight max error", "samples.mode_weight_max_error"),
            new MetricColumn("sliced W2", "samples.sliced_wasserstein2"),
            new MetricColumn("MMD²", "samples.mmd2_rbf"),
            new MetricColumn("distance to data", "samples.data_distance"),
            new MetricColumn("final loss", "train.final_loss"),
            new MetricColumn("training s", "train.seconds"),
            new MetricColumn("sampling s", "samples.seconds"));

    public MetricColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
    }

    /** The value at {@link #path} in {@code metrics}, if it is there and a number. */
    public OptionalDouble in(JsonNode metrics) {
        JsonNode node = metrics;
        for (String part : path.split("\\.")) {
            if (node == null) {
                return OptionalDouble.empty();
            }
            if (node.isArray()) {
                int index;
                try {
                    index = Integer.parseInt(part);
                } catch (NumberFormatException e) {
                    return OptionalDouble.empty();
                }
                node = node.get(index < 0 ? node.size() + index : index);
            } else {
                node = node.get(part);
            }
        }
        return node != null && node.isNumber() ? OptionalDouble.of(node.doubleValue()) : OptionalDouble.empty();
    }
}
