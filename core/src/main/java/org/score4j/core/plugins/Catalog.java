package org.score4j.core.plugins;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.score4j.api.spi.ComponentFactory;
import org.score4j.api.spi.Score4jPlugin;
import org.score4j.core.plugins.ComponentKind;
import org.score4j.core.UserError;

/**
 * Every component found on the class path and in the plugin directories, by kind and name.
 * Discovery problems (duplicate names, broken jars, directories without a plugin) are collected and
 * reported together.
 */
public final class Catalog {
    private final Map<ComponentKind, Map<String, Registered>> components;

    private Catalog(Map<ComponentKind, Map<String, Registered>> components) {
        this.components = components;
    }

    /**
     * Discovers the plugins on the host class path and in each directory under {@code pluginRoot}
     * (which may be absent).
     *
     * @throws UserError listing every discovery problem
     */
    public static Catalog discover(Path pluginRoot) {
        Map<ComponentKind, Map<String, Registered>> found = new EnumMap<>(ComponentKind.class);
        for (ComponentKind k : ComponentKind.values()) {
            found.put(k, new LinkedHashMap<>());
        }
        List<String> problems = new ArrayList<>();
        ClassLoader host = Catalog.class.getClassLoader();
        for (Score4jPlugin plugin : load(ServiceLoader.load(Score4jPlugin.class, host), null, "the class path", problems)) {
            register(plugin, sourceOf(plugin.getClass()), found, problems);
        }
        if (pluginRoot != null && Files.isDirectory(pluginRoot)) {
            try (Stream<Path> entries = Files.list(pluginRoot)) {
                for (Path entry : entries.sorted().toList()) {
                    if (Files.isDirectory(entry) || entry.toString().endsWith(".jar")) {
                        // A jar dropped straight into plugins/ is a plugin of its own, as if it had a directory.
                        load(entry, host, found, problems);
                    } else if (!entry.getFileName().toString().startsWith(".")) {
                        problems.add(entry + " is neither a plugin directory nor a .jar file; plugins/ holds one "
                                + "directory (or one jar) per plugin");
                    }
                }
            } catch (IOException e) {
                problems.add("cannot list plugin directory " + pluginRoot + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new UserError("plugin discovery failed:\n  " + String.join("\n  ", problems));
        }
        return new Catalog(found);
    }

    /** The components of {@code kind}, by name, in discovery order. */
    public Map<String, Registered> of(ComponentKind kind) {
        return java.util.Collections.unmodifiableMap(components.get(kind));
    }

    /** The factories of {@code kind} with type {@code type}, by name. */
    public <F extends ComponentFactory<?>> Map<String, F> factories(ComponentKind kind, Class<F> type) {
        Map<String, F> out = new LinkedHashMap<>();
        components.get(kind).forEach((name, r) -> out.put(name, type.cast(r.factory())));
        return out;
    }

    /** Loads the plugin of a directory of jars, or of a single jar. */
    private static void load(Path dir, ClassLoader host, Map<ComponentKind, Map<String, Registered>> found,
                             List<String> problems) {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.isDirectory(dir) ? Files.list(dir) : Stream.of(dir)) {
            for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                try (JarFile ignored = new JarFile(jar.toFile())) {
                    jars.add(jar.toUri().toURL());
                } catch (IOException e) {
                    problems.add(jar + " is not a readable jar file (" + e.getMessage() + ")");
                }
            }
        } catch (IOException e) {
            problems.add("cannot list " + dir + ": " + e.getMessage());
            return;
        }
        if (jars.isEmpty()) {
            problems.add(dir + " holds no jar files; a plugin directory needs the plugin's jar(s)");
            return;
        }
        PluginClassLoader loader = new PluginClassLoader("plugin:" + dir.getFileName(), jars.toArray(URL[]::new), host);
        int before = problems.size();
        List<Score4jPlugin> plugins = PluginGuard.call("loading the plugin in " + dir, dir.toString(),
                () -> load(ServiceLoader.load(Score4jPlugin.class, loader), loader, dir.toString(), problems));
        if (plugins.isEmpty() && problems.size() == before) {
            problems.add(dir + " holds no score4j plugin: none of its jars lists one in META-INF/services/"
                    + Score4jPlugin.class.getName());
        }
        for (Score4jPlugin plugin : plugins) {
            String source = Files.isDirectory(dir) ? dir.resolve(sourceOf(plugin.getClass())).toString() : dir.toString();
            PluginGuard.call("listing the components of " + plugin.getClass().getName(), source, () -> {
                register(plugin, source, found, problems);
                return null;
            });
        }
    }

    private static List<Score4jPlugin> load(ServiceLoader<Score4jPlugin> loader, ClassLoader own, String where,
                                            List<String> problems) {
        List<Score4jPlugin> out = new ArrayList<>();
        try {
            loader.stream().filter(p -> own == null || p.type().getClassLoader() == own).forEach(p -> {
                try {
                    out.add(p.get());
                } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                    problems.add("plugin " + p.type().getName() + " in " + where + " cannot be created: "
                            + PluginGuard.describe(e));
                }
            });
        } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
            problems.add("a plugin in " + where + " cannot be loaded: " + PluginGuard.describe(e));
        }
        return out;
    }

    private static void register(Score4jPlugin plugin, String source, Map<ComponentKind, Map<String, Registered>> found,
                                 List<String> problems) {
        String incompatible = ApiCompatibility.problem(plugin);
        if (incompatible != null) {
            problems.add(source + ": " + incompatible);
            return;
        }
        for (ComponentKind kind : ComponentKind.values()) {
            List<? extends ComponentFactory<?>> factories;
            try {
                factories = kind.factoriesOf(plugin);
            } catch (RuntimeException | LinkageError e) {
                problems.add(source + ": listing its " + kind.noun() + "s failed: " + PluginGuard.describe(e));
                continue;
            }
            for (ComponentFactory<?> f : factories) {
                String name;
                try {
                    name = f.name();
                    f.defaults();
                } catch (RuntimeException | LinkageError e) {
                    problems.add(source + ": a " + kind.noun() + " of " + f.getClass().getName() + " failed to describe "
                            + "itself: " + PluginGuard.describe(e));
                    continue;
                }
                if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
                    problems.add(source + ": " + kind.noun() + " name '" + name
                            + "' is not lower-case letters, digits and '-'");
                    continue;
                }
                Registered earlier = found.get(kind).get(name);
                if (earlier != null) {
                    problems.add("duplicate " + kind.noun() + " '" + name + "': provided by " + earlier.source()
                            + " and by " + source);
                    continue;
                }
                found.get(kind).put(name, new Registered(kind, f, source));
            }
        }
    }

    private static String sourceOf(Class<?> type) {
        try {
            var cs = type.getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null) {
                return type.getName();
            }
            Path p = Path.of(cs.getLocation().toURI());
            String name = p.getFileName().toString();
            // A module's classes directory during development: name the module instead.
            if (name.equals("classes") && p.getParent() != null && p.getParent().getParent() != null) {
                return p.getParent().getParent().getFileName() + File.separator + "target" + File.separator + "classes";
            }
            return name;
        } catch (java.net.URISyntaxException | SecurityException | IllegalArgumentException e) {
            return type.getName();
        }
    }

}
