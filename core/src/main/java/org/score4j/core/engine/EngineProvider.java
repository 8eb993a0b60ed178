package org.score4j.core.engine;

/**
 * Contributes an execution engine to the {@code score4j} command ({@code --engine NAME}), found through
 * {@link java.util.ServiceLoader}. The built-in engine, {@code local}, runs everything in this process and needs no
 * provider; other engines live in modules of their own (e.g. {@code spark} in runner-spark) so the core stays light.
 */
public interface EngineProvider {
    /** The name users pass to {@code --engine}. */
    String name();

    /** One line for {@code score4j info}: what the engine is and how to submit to it. */
    String description();

    /**
     * Commands the engine adds to {@code score4j} (picocli {@code @Command} objects), e.g. one that starts a cluster on
     * this machine or benchmarks the engine. None by default.
     */
    default java.util.List<Object> commands() {
        return java.util.List.of();
    }

    /** Starts the engine; the caller closes it. */
    Engine open(EngineSettings settings);
}
