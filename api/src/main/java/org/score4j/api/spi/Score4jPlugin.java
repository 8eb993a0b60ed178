package org.score4j.api.spi;

import java.util.List;

/**
 * The entry point of a plugin jar, found with {@link java.util.ServiceLoader}. Override the getters
 * of the kinds the plugin contributes; the others stay empty.
 *
 * <p>A plugin in {@code plugins/<dir>/} is loaded by its own class loader, which looks in the
 * plugin's jars first except for the packages of this API, ND4J, Typesafe Config and SLF4J, which
 * always come from the host. A plugin must therefore not bundle those.
 */
public interface Score4jPlugin {

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
}
