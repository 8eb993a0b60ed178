package org.score4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.score4j.api.spi.ComponentFactory;
import org.score4j.api.spi.Score4jPlugin;

/** Checks of a plugin's entry point as the runner will see it. */
public final class PluginContract {
    private PluginContract() {
    }

    /**
     * The plugin is listed in {@code META-INF/services/org.score4j.api.spi.Score4jPlugin} (so the runner finds
     * it), declares the API version it was compiled against, contributes at least one component, and every
     * component passes {@link ComponentContract#assertWellFormed} with a name unique within its kind.
     */
    public static void assertWellFormed(Score4jPlugin plugin) {
        assertWellFormed(plugin, java.util.Map.of());
    }

    /**
     * As {@link #assertWellFormed(Score4jPlugin)}, with the keys (HOCON) that components which cannot be built from
     * their defaults alone need, by component name.
     */
    public static void assertWellFormed(Score4jPlugin plugin, java.util.Map<String, String> required) {
        Class<? extends Score4jPlugin> type = plugin.getClass();
        assertThat(ServiceLoader.load(Score4jPlugin.class, type.getClassLoader()).stream().map(ServiceLoader.Provider::type))
                .as("META-INF/services/%s lists %s", Score4jPlugin.class.getName(), type.getName())
                .contains(type);
        assertThat(plugin.apiVersion()).as("apiVersion() of %s (implement it as return API_VERSION;)", type.getName())
                .isEqualTo(Score4jPlugin.API_VERSION);
        List<List<? extends ComponentFactory<?>>> kinds = List.of(plugin.datasets(), plugin.models(), plugin.objectives(),
                plugin.schedules(), plugin.samplers(), plugin.optimizers(), plugin.learningRateSchedules());
        List<ComponentFactory<?>> all = new ArrayList<>();
        for (List<? extends ComponentFactory<?>> kind : kinds) {
            assertThat(kind.stream().map(ComponentFactory::name)).as("component names of one kind in %s", type.getName())
                    .doesNotHaveDuplicates();
            all.addAll(kind);
        }
        assertThat(all).as("components of %s", type.getName()).isNotEmpty();
        all.forEach(f -> ComponentContract.assertWellFormed(f, required.getOrDefault(f.name(), "")));
    }
}
