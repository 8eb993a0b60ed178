package org.score4j.runner.engine;

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

    /** Starts the engine; the caller closes it. */
    Engine open(EngineSettings settings);
}
