package org.score4j.runner.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.score4j.core.config.ConfigurationReference;
import org.score4j.core.plugins.ComponentKind;
import org.score4j.core.plugins.Catalog;
import org.score4j.core.plugins.Registered;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "plugins", description = "List every discovered component: kind, name, source, keys with defaults.")
public final class PluginsCommand implements Callable<Integer> {
    @Option(names = "--plugins", paramLabel = "DIR", defaultValue = "${env:SCORE4J_PLUGINS:-plugins}",
            description = "plugin directory (default: ${DEFAULT-VALUE})")
    Path plugins;

    @Override
    public Integer call() {
        Catalog catalog = Catalog.discover(plugins);
        StringBuilder b = new StringBuilder();
        for (ComponentKind kind : ComponentKind.values()) {
            b.append(kind.section()).append(" (").append(kind.noun()).append("s, chosen by ").append(kind.section())
                    .append(".name)\n");
            for (Registered r : catalog.of(kind).values()) {
                b.append("  ").append(r.factory().name()).append(" - ").append(r.factory().description()).append('\n');
                b.append("      source: ").append(r.source()).append('\n');
                for (ConfigurationReference.Key k : ConfigurationReference.keys(r.factory())) {
                    b.append("      ").append(kind.section()).append('.').append(k.key()).append(" = ").append(k.value())
                            .append(k.documentation().isEmpty() ? "" : "   # " + k.documentation()).append('\n');
                }
            }
        }
        System.out.print(b);
        return 0;
    }
}
