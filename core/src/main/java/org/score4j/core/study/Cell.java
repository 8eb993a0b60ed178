package org.score4j.core.study;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One cell of a study: a normal run whose configuration is the study's base with the cell's overrides.
 *
 * @param id      the cell's directory name under {@code cells/}, stable across reruns of the same study
 * @param factors what this cell varies, column → value as shown in the tables (the seed not included)
 * @param seed    the cell's seed
 * @param user    the complete user configuration of the cell (base and overrides)
 */
public record Cell(String id, Map<String, String> factors, int seed, Config user) {

    public Cell {
        Objects.requireNonNull(id, "id");
        factors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(factors));
        Objects.requireNonNull(user, "user");
    }

    /** What the cell varies, without the seed: the row of the summary table it belongs to. */
    public String label() {
        return factors.isEmpty() ? "base" : factors.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** The label with the seed, as progress lines show it. */
    public String title() {
        return label() + ", seed=" + seed;
    }
}
