package org.score4j.runner.cli;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
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
                for (Map.Entry<String, ConfigValue> e : new java.util.TreeMap<>(r.factory().defaults().root().entrySet().stream()
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))).entrySet()) {
                    String doc = String.join(" ", e.getValue().origin().comments()).strip();
                    b.append("      ").append(kind.section()).append('.').append(e.getKey()).append(" = ")
                            .append(e.getValue().render(ConfigRenderOptions.concise()))
                            .append(doc.isEmpty() ? "" : "   # " + doc).append('\n');
                }
            }
        }
        System.out.print(b);
        return 0;
    }
}
