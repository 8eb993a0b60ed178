package org.score4j.runner.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import java.util.Objects;
import org.score4j.api.spi.ComponentFactory;
import org.score4j.api.spi.DatasetFactory;
import org.score4j.api.spi.ModelFactory;
import org.score4j.api.spi.ObjectiveFactory;
import org.score4j.api.spi.SamplerFactory;
import org.score4j.api.spi.ScheduleFactory;
import org.score4j.runner.ComponentKind;
import org.score4j.runner.plugins.Catalog;

/** Binds every discovered factory into a {@link MapBinder} of its kind, keyed by its name. */
public final class PluginModule extends AbstractModule {
    private final Catalog catalog;

    public PluginModule(Catalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    @Override
    protected void configure() {
        bind(Catalog.class).toInstance(catalog);
        bindAll(ComponentKind.DATA, DatasetFactory.class);
        bindAll(ComponentKind.MODEL, ModelFactory.class);
        bindAll(ComponentKind.OBJECTIVE, ObjectiveFactory.class);
        bindAll(ComponentKind.SCHEDULE, ScheduleFactory.class);
        bindAll(ComponentKind.SAMPLER, SamplerFactory.class);
    }

    private <F extends ComponentFactory<?>> void bindAll(ComponentKind kind, Class<F> type) {
        MapBinder<String, F> binder = MapBinder.newMapBinder(binder(), String.class, type);
        catalog.factories(kind, type).forEach((name, factory) -> binder.addBinding(name).toInstance(factory));
    }
}
