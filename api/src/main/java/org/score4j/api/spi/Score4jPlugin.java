package org.score4j.api.spi;

import java.util.List;

/**
 * The entry point of a plugin jar, found with {@link java.util.ServiceLoader}. Override the getters
 * of the kinds the plugin contributes; the others stay empty.
 *
 * <p>A plugin in {@code plugins/<dir>/} is loaded by its own class loader, which looks in the
 * plugin's jars first except for the packages of this API, ND4J, Typesafe Config and SLF4J, which
 * always come from the host. A plugin must therefore not bundle those.
 *
 * <p>Every plugin says which version of this API it was compiled against by returning {@link #API_VERSION}
 * from {@link #apiVersion()}: the constant is copied into the plugin's class when it is compiled, so it keeps
 * the version of the {@code score4j-api} jar it was built with. The runner loads a plugin whose major version
 * equals its own and whose minor version is not newer, and refuses any other with a message naming both.
 */
public interface Score4jPlugin {
    /**
     * The version of this API, {@code major.minor}. The minor version grows when something is added (a
     * plugin built for an older minor version still runs); the major version grows when something changes
     * or is removed. 2.0 made models networks only (training moved to the runner, with optimizers and learning-rate
     * schedules as plugin kinds), gave samplers a grid of their own and a step listener, let objectives draw any σ,
     * and added class-conditional scores; see the plugin guide's migration note.
     */
    String API_VERSION = "2.0";

    /**
     * The API version the plugin was compiled against: implement it as {@code return API_VERSION;}.
     */
    String apiVersion();

    default List<DatasetFactory> datasets() {
        return List.of();
    }

    default List<ModelFactory> models() {
        return List.of();
    }

    default List<ObjectiveFactory> objectives() {
        return List.of();
    }

    default List<ScheduleFactory> schedules() {
        return List.of();
    }

    default List<SamplerFactory> samplers() {
        return List.of();
    }

    default List<OptimizerFactory> optimizers() {
        return List.of();
    }

    default List<LearningRateScheduleFactory> learningRateSchedules() {
        return List.of();
    }
}
