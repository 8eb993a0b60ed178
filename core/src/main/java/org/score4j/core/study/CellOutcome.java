package org.score4j.core.study;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * How a study cell ended: its metrics, or its error and what is known (its model's training figures, or null).
 *
 * @param seconds the time the cell took (0 for a cell reused from an earlier run)
 */
public record CellOutcome(Cell cell, Status status, JsonNode metrics, String error, double seconds) {
    /** How a cell ended. */
    public enum Status { FINISHED, REUSED, FAILED }

    public CellOutcome {
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(status, "status");
    }
}
