package org.score4j.api.spi;

import java.util.Objects;

/**
 * One mistake in a configuration, as a user reads it.
 *
 * @param key     the full path of the key ({@code schedule.sigma-min}), or the section for problems
 *                that involve several keys
 * @param message what is wrong and what was expected
 */
public record ConfigProblem(String key, String message) {
    public ConfigProblem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return key + ": " + message;
    }
}
