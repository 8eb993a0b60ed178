package org.score4j.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.score4j.api.spi.ComponentFactory;
import org.score4j.core.plugins.Catalog;
import org.score4j.core.plugins.ComponentKind;
import org.score4j.core.plugins.Registered;

/**
 * What every configuration key means: each component's keys with their defaults and the comments that document them
 * (what {@code score4j plugins} prints), and the whole reference as Markdown — the runner's own sections from its
 * defaults resource, then every built-in component of each kind. {@code docs/configuration.md} is this rendering; a
 * test in the runner module compares the two.
 */
public final class ConfigurationReference {
    private static final ConfigRenderOptions HOCON = ConfigRenderOptions.concise().setJson(false);

    private ConfigurationReference() {
    }

    /**
     * One documented key.
     *
     * @param key           its path within its section, e.g. {@code sigma-max}
     * @param value         its default, rendered as HOCON ({@code 20}, {@code swish}, {@code [1,2,2]})
     * @param documentation the comment above it, one line (empty when it has none)
     */
    public record Key(String key, String value, String documentation) {
    }

    /** The keys of a component's defaults (nested objects as dotted paths), in the order its defaults define them. */
    public static List<Key> keys(ComponentFactory<?> factory) {
        return keys(factory.defaults());
    }

    /** The keys of {@code defaults} (leaves, as dotted paths), in the order they are defined, else by name. */
    public static List<Key> keys(Config defaults) {
        List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(defaults.entrySet());
        entries.sort(Comparator.comparingInt((Map.Entry<String, ConfigValue> e) -> line(e.getValue()))
                .thenComparing(Map.Entry::getKey));
        return entries.stream().map(e -> new Key(e.getKey(), render(e.getValue()), documentation(e.getValue()))).toList();
    }

    /** A value as one line of HOCON. */
    public static String render(ConfigValue value) {
        String text = value.render(HOCON);
        return value.valueType() == ConfigValueType.OBJECT ? "{ " + text.replace(",", ", ") + " }" : text;
    }

    /** The comment lines above a value, each trimmed, as one line. */
    public static String documentation(ConfigValue value) {
        return String.join(" ", value.origin().comments().stream().map(String::strip).filter(s -> !s.isEmpty())
                .toList());
    }

    private static int line(ConfigValue value) {
        int line = value.origin().lineNumber();
        return line < 0 ? Integer.MAX_VALUE : line;
    }

    /**
     * Whether a component is one of score4j's own (its factory's class is in an {@code org.score4j} package), not a
     * third party's.
     */
    public static boolean builtIn(Registered component) {
        return component.factory().getClass().getName().startsWith("org.score4j.");
    }

    /** The heading anchor of a component's section in the Markdown reference (GitHub's slug of its heading). */
    public static String anchor(ComponentKind kind, String name) {
        return slug(kind.section() + ": " + name);
    }

    /**
     * The reference as Markdown: the runner's own keys, then each kind's built-in components (those of
     * {@code catalog} that are {@linkplain #builtIn built in}), by name, each with its description and keys.
     *
     * @param regenerate the command that regenerates the page, named in its header
     */
    public static String markdown(Catalog catalog, String regenerate) {
        StringBuilder b = new StringBuilder();
        b.append("# Configuration reference\n\n");
        b.append("<!-- Generated from the runner's defaults and the built-in plugins' defaults: do not edit by hand. ")
                .append("Regenerate with\n     ").append(regenerate).append(" -->\n\n");
        b.append("Every key a run reads, with its default and what it does. This page is generated from the defaults ")
                .append("themselves (the runner's `score4j-defaults.conf` and each built-in component's `defaults()`), ")
                .append("so it lists exactly what score4j accepts; a test fails when the two differ. To regenerate it:\n\n")
                .append("```bash\n").append(regenerate).append("\n```\n\n");
        b.append("A configuration is HOCON: a file given with `-c FILE`, then `--set key=value` overrides in order. ")
                .append("Each component section names its plugin with `name` and holds that plugin's keys, e.g. ")
                .append("`sampler { name = edm, s-churn = 10 }` or `--set sampler.name=edm --set sampler.s-churn=10`. ")
                .append("Configuration is strict: a key nobody reads is an error (with a \"did you mean\"). ")
                .append("Where a change is laid over a saved configuration (`sample --from`, `train --resume`, a ")
                .append("study's grid and variants), changing a section's `name` drops the old component's keys. ")
                .append("Third-party plugins document their keys the same way: `score4j plugins` lists every ")
                .append("installed component with its keys. See the [user guide](user-guide.md) for how a run uses them.\n\n");

        b.append("## Contents\n\n");
        b.append("- [The runner's keys](#the-runners-keys)\n");
        for (ComponentKind kind : ComponentKind.values()) {
            String title = kindTitle(kind);
            b.append("- [").append(title).append("](#").append(slug(title)).append("): ");
            b.append(String.join(", ", builtIns(catalog, kind).stream().map(r -> "[`" + r.factory().name() + "`](#"
                    + anchor(kind, r.factory().name()) + ")").toList())).append('\n');
        }
        b.append('\n');

        runnerSections(b, catalog);

        for (ComponentKind kind : ComponentKind.values()) {
            b.append("## ").append(kindTitle(kind)).append("\n\n");
            b.append("Chosen with `").append(kind.section()).append(".name`; a component's keys go in the `")
                    .append(kind.section()).append("` section.\n\n");
            for (Registered r : builtIns(catalog, kind)) {
                ComponentFactory<?> f = r.factory();
                b.append("### ").append(kind.section()).append(": `").append(f.name()).append("`\n\n");
                String description = cell(f.description(), false);
                description = description.isEmpty() ? description
                        : description.substring(0, 1).toUpperCase(Locale.ROOT) + description.substring(1);
                b.append(description).append(description.matches(".*[.!?]$") ? "" : ".").append("\n\n");
                List<Key> keys = keys(f);
                if (keys.isEmpty()) {
                    b.append("No keys of its own.\n\n");
                    continue;
                }
                b.append("| key | default | what it does |\n|---|---|---|\n");
                for (Key k : keys) {
                    b.append("| `").append(kind.section()).append('.').append(k.key()).append("` | `")
                            .append(cell(k.value(), true)).append("` | ").append(cell(k.documentation(), false))
                            .append(" |\n");
                }
                b.append('\n');
            }
        }
        return b.toString().replaceAll("\n+$", "\n");
    }

    /** The runner's defaults: top-level keys and component choices in one table, then a table per section. */
    private static void runnerSections(StringBuilder b, Catalog catalog) {
        Config defaults = ConfigSources.defaults();
        List<Map.Entry<String, ConfigValue>> top = new ArrayList<>(defaults.root().entrySet());
        top.sort(Comparator.comparingInt((Map.Entry<String, ConfigValue> e) -> line(e.getValue()))
                .thenComparing(Map.Entry::getKey));
        b.append("## The runner's keys\n\n");
        b.append("The keys score4j itself reads, from its defaults (`core/src/main/resources/org/score4j/core/config/")
                .append("score4j-defaults.conf`), and the component each section chooses by default.\n\n");
        b.append("| key | default | what it does |\n|---|---|---|\n");
        List<Map.Entry<String, ConfigValue>> sections = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : top) {
            ComponentKind kind = kindOf(e.getKey());
            if (kind != null) {
                ConfigValue name = ((ConfigObject) e.getValue()).get("name");
                String doc = documentation(e.getValue());
                String choices = "One of " + String.join(", ", builtIns(catalog, kind).stream().map(r -> "[`"
                        + r.factory().name() + "`](#" + anchor(kind, r.factory().name()) + ")").toList())
                        + ", or a plugin's.";
                b.append("| `").append(e.getKey()).append(".name` | `").append(cell(render(name), true)).append("` | ")
                        .append(cell(doc.isEmpty() ? "" : doc + " ", false)).append(choices).append(" |\n");
            } else if (e.getValue().valueType() == ConfigValueType.OBJECT) {
                sections.add(e);
            } else {
                b.append("| `").append(e.getKey()).append("` | `").append(cell(render(e.getValue()), true))
                        .append("` | ").append(cell(documentation(e.getValue()), false)).append(" |\n");
            }
        }
        b.append('\n');
        for (Map.Entry<String, ConfigValue> section : sections) {
            section(b, section.getKey(), (ConfigObject) section.getValue());
        }
    }

    /**
     * One section of the runner's defaults: a table of its keys, then a section of its own for each sub-object whose
     * keys are all documented (e.g. {@code eval.likelihood}); other objects are values, shown inline.
     */
    private static void section(StringBuilder b, String path, ConfigObject object) {
        b.append("### `").append(path).append("`\n\n");
        String doc = documentation(object);
        if (!doc.isEmpty()) {
            b.append(cell(doc, false)).append("\n\n");
        }
        List<Map.Entry<String, ConfigValue>> keys = new ArrayList<>(object.entrySet());
        keys.sort(Comparator.comparingInt((Map.Entry<String, ConfigValue> e) -> line(e.getValue()))
                .thenComparing(Map.Entry::getKey));
        List<Map.Entry<String, ConfigValue>> nested = new ArrayList<>();
        b.append("| key | default | what it does |\n|---|---|---|\n");
        for (Map.Entry<String, ConfigValue> k : keys) {
            if (documentedSection(k.getValue())) {
                nested.add(k);
                b.append("| `").append(path).append('.').append(k.getKey()).append("` | (a section) | ")
                        .append(cell(documentation(k.getValue()), false)).append(" Its keys: [below](#")
                        .append(slug(path + "." + k.getKey())).append("). |\n");
                continue;
            }
            b.append("| `").append(path).append('.').append(k.getKey()).append("` | `")
                    .append(cell(render(k.getValue()), true)).append("` | ")
                    .append(cell(documentation(k.getValue()), false)).append(" |\n");
        }
        b.append('\n');
        for (Map.Entry<String, ConfigValue> k : nested) {
            section(b, path + "." + k.getKey(), (ConfigObject) k.getValue());
        }
    }

    /** An object all of whose keys carry documentation: a sub-section rather than a value. */
    private static boolean documentedSection(ConfigValue value) {
        return value instanceof ConfigObject o && !o.isEmpty()
                && o.values().stream().allMatch(v -> !documentation(v).isEmpty());
    }

    private static ComponentKind kindOf(String section) {
        for (ComponentKind k : ComponentKind.values()) {
            if (k.section().equals(section)) {
                return k;
            }
        }
        return null;
    }

    private static List<Registered> builtIns(Catalog catalog, ComponentKind kind) {
        return catalog.of(kind).values().stream().filter(ConfigurationReference::builtIn)
                .sorted(Comparator.comparing(r -> r.factory().name())).toList();
    }

    private static String kindTitle(ComponentKind kind) {
        String plural = kind.noun() + "s";
        return Character.toUpperCase(plural.charAt(0)) + plural.substring(1) + " (`" + kind.section() + "`)";
    }

    /** Text for a table cell: one line, pipes escaped; outside code, also what Markdown would read as markup. */
    private static String cell(String text, boolean code) {
        String s = text.replace('\n', ' ').replace("|", "\\|");
        if (code) {
            return s.replace("`", "'");
        }
        return s.replace("*", "\\*").replace("<", "&lt;");
    }

    /** GitHub's heading slug: lower case, punctuation other than '-' and '_' dropped, spaces to '-'. */
    static String slug(String heading) {
        StringBuilder b = new StringBuilder();
        for (int cp : heading.toLowerCase(Locale.ROOT).codePoints().toArray()) {
            if (Character.isLetterOrDigit(cp) || cp == '-' || cp == '_') {
                b.appendCodePoint(cp);
            } else if (cp == ' ') {
                b.append('-');
            }
        }
        return b.toString();
    }
}
