package org.score4j.core.study;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.score4j.api.spi.ConfigProblem;
import org.score4j.api.spi.Fingerprint;
import org.score4j.api.spi.Settings;
import org.score4j.api.spi.Suggestions;
import org.score4j.core.UserError;
import org.score4j.core.config.ConfigSources;
import org.score4j.core.config.Sections;

/**
 * A study file: the configuration every cell starts from, what varies between cells, and the columns of
 * its tables. Read strictly, like a run configuration: unknown keys get a "did you mean", bad values name
 * their key, and every problem is reported at once.
 *
 * @param grid     keys to vary, each with its values; cells are every combination
 * @param variants named sets of overrides crossed with the grid (empty: none)
 * @param seeds    the seeds every combination runs with
 * @param plot     the column drawn in {@code metric.png} (a name or a path), or "" for the first
 */
public record StudyDefinition(String name, String description, Config base, List<Factor> grid, List<Variant> variants,
                              List<Integer> seeds, List<MetricColumn> metrics, String plot) {

    private static final String DEFAULTS = "score4j-study-defaults.conf";

    /** One varied key with the values it takes. */
    public record Factor(String key, List<ConfigValue> values) {
    }

    /** A named set of overrides. */
    public record Variant(String name, Config overrides) {
    }

    public StudyDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(base, "base");
        grid = List.copyOf(grid);
        variants = List.copyOf(variants);
        seeds = List.copyOf(seeds);
        metrics = List.copyOf(metrics);
        Objects.requireNonNull(plot, "plot");
    }

    /**
     * Reads a study file with {@code --set} overrides of its own keys (e.g. {@code study.seeds=[1]}).
     *
     * @throws UserError listing every problem of the file
     */
    public static StudyDefinition read(Path file, List<String> overrides) {
        Config user = ConfigSources.user(Objects.requireNonNull(file, "file"), overrides);
        return of(user, "study " + file, file.getFileName().toString().replaceFirst("\\.conf$", ""),
                file.toAbsolutePath().getParent());
    }

    /**
     * A study given as configuration (a study file's content, or one built in code), checked as a file is.
     *
     * @param source      how messages name it ("study studies/x.conf")
     * @param defaultName the name when it sets none
     * @param baseDir     the folder {@code base-file} is relative to
     * @throws UserError listing every problem
     */
    public static StudyDefinition of(Config user, String source, String defaultName, Path baseDir) {
        Config defaults = ConfigFactory.parseURL(StudyDefinition.class.getResource(DEFAULTS),
                ConfigParseOptions.defaults().setAllowMissing(false));
        List<ConfigProblem> problems = new ArrayList<>();
        for (String key : user.root().keySet()) {
            if (!key.equals("study")) {
                problems.add(new ConfigProblem(key, "unknown key" + Suggestions.didYouMean(key, Set.of("study"))
                        + "; a study file holds one section, study { ... }"));
            }
        }
        if (user.hasPath("study") && user.getValue("study").valueType() != ConfigValueType.OBJECT) {
            problems.add(new ConfigProblem("study", "expected a section { ... }"));
        }
        Settings s = Settings.of("study", Sections.section(user, "study"), defaults.getConfig("study"));
        String name = optionalText(s, "name", problems);
        String description = optionalText(s, "description", problems);
        String baseFile = optionalText(s, "base-file", problems);
        Config base = ConfigFactory.empty();
        if (!baseFile.isBlank()) {
            Path resolved = baseDir.resolve(baseFile);
            try {
                base = ConfigSources.user(resolved, List.of());
            } catch (UserError e) {
                problems.add(new ConfigProblem("study.base-file", e.getMessage()));
            }
        }
        ConfigObject inline = object(s, "base", problems);
        if (inline != null) {
            base = ConfigSources.over(base, inline.toConfig());
        }
        List<Factor> grid = grid(object(s, "grid", problems), problems);
        List<Variant> variants = variants(s.value("variants"), problems);
        List<Integer> seeds = seeds(s.value("seeds"), problems);
        if (seeds.isEmpty()) {
            seeds = List.of(base.hasPath("seed") && base.getValue("seed").unwrapped() instanceof Number n ? n.intValue() : 1);
        }
        List<MetricColumn> metrics = metrics(s.value("metrics"), problems);
        String plot = optionalText(s, "plot", problems);
        if (!plot.isBlank() && !metrics.isEmpty()
                && metrics.stream().noneMatch(m -> m.name().equals(plot) || m.path().equals(plot))) {
            problems.add(new ConfigProblem("study.plot", "'" + plot + "' is not one of the metrics"
                    + Suggestions.didYouMean(plot, metrics.stream().map(MetricColumn::name).toList()) + "; they are: "
                    + metrics.stream().map(MetricColumn::name).collect(Collectors.joining(", "))));
        }
        problems.addAll(s.problems());
        problems.addAll(s.unreadProblems());
        if (!problems.isEmpty()) {
            throw new UserError(source + " has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                    + ":\n  " + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n  ")));
        }
        if (name.isBlank()) {
            name = defaultName;
        }
        return new StudyDefinition(name, description, base, grid, variants, seeds, metrics, plot);
    }

    /** Every cell: each variant (if any) × each combination of the grid × each seed, in that nesting. */
    public List<Cell> cells() {
        List<Map<String, ConfigValue>> combinations = new ArrayList<>();
        combinations.add(new LinkedHashMap<>());
        for (Factor f : grid) {
            List<Map<String, ConfigValue>> next = new ArrayList<>();
            for (Map<String, ConfigValue> c : combinations) {
                for (ConfigValue v : f.values()) {
                    Map<String, ConfigValue> m = new LinkedHashMap<>(c);
                    m.put(f.key(), v);
                    next.add(m);
                }
            }
            combinations = next;
        }
        List<Variant> vs = variants.isEmpty() ? java.util.Collections.singletonList(null) : variants;
        List<Cell> cells = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Variant variant : vs) {
            for (Map<String, ConfigValue> combination : combinations) {
                for (int seed : seeds) {
                    Map<String, String> factors = new LinkedHashMap<>();
                    Config over = variant == null ? ConfigFactory.empty() : variant.overrides();
                    if (variant != null) {
                        factors.put("variant", variant.name());
                    }
                    for (var e : combination.entrySet()) {
                        over = over.withValue(e.getKey(), e.getValue());
                        factors.put(e.getKey(), text(e.getValue()));
                    }
                    over = over.withValue("seed", ConfigValueFactory.fromAnyRef(seed));
                    String id = directoryName(factors, seed);
                    for (int k = 2; !ids.add(id); k++) {
                        id = directoryName(factors, seed) + "-" + k;
                    }
                    cells.add(new Cell(id, factors, seed, ConfigSources.over(base, over)));
                }
            }
        }
        return cells;
    }

    /** The column the metric plot shows. */
    public MetricColumn plotted(List<MetricColumn> shown) {
        return shown.stream().filter(m -> m.name().equals(plot) || m.path().equals(plot)).findFirst()
                .orElse(shown.isEmpty() ? null : shown.get(0));
    }

    private static String text(ConfigValue v) {
        return v.valueType() == ConfigValueType.STRING ? String.valueOf(v.unwrapped())
                : v.render(ConfigRenderOptions.concise());
    }

    private static String directoryName(Map<String, String> factors, int seed) {
        StringBuilder b = new StringBuilder();
        factors.forEach((k, v) -> b.append(k).append('=').append(v).append(','));
        b.append("seed=").append(seed);
        String safe = b.toString().replaceAll("[^A-Za-z0-9._=,+-]", "_");
        return safe.length() <= 100 ? safe : safe.substring(0, 80) + "-" + Fingerprint.sha256(safe).substring(0, 10);
    }

    private static String optionalText(Settings s, String key, List<ConfigProblem> problems) {
        ConfigValue v = s.value(key);
        if (v == null) {
            return "";
        }
        if (v.valueType() != ConfigValueType.STRING) {
            problems.add(new ConfigProblem("study." + key, "expected text, got " + v.render(ConfigRenderOptions.concise())));
            return "";
        }
        return ((String) v.unwrapped()).strip();
    }

    private static ConfigObject object(Settings s, String key, List<ConfigProblem> problems) {
        ConfigValue v = s.value(key);
        if (v == null) {
            return null;
        }
        if (v.valueType() != ConfigValueType.OBJECT) {
            problems.add(new ConfigProblem("study." + key, "expected a section { ... }, got " + v.render(ConfigRenderOptions.concise())));
            return null;
        }
        return (ConfigObject) v;
    }

    private static List<Factor> grid(ConfigObject grid, List<ConfigProblem> problems) {
        if (grid == null) {
            return List.of();
        }
        List<Factor> out = new ArrayList<>();
        List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(grid.toConfig().entrySet());
        // The file's order: HOCON objects are unordered, their origins are not.
        entries.sort(Comparator.<Map.Entry<String, ConfigValue>>comparingInt(e -> e.getValue().origin().lineNumber())
                .thenComparing(Map.Entry::getKey));
        for (var e : entries) {
            String key = e.getKey();
            ConfigValue v = e.getValue();
            if (key.equals("seed")) {
                problems.add(new ConfigProblem("study.grid.seed", "list the seeds in study.seeds, not in the grid"));
            } else if (v.valueType() != ConfigValueType.LIST || ((List<?>) v.unwrapped()).isEmpty()) {
                problems.add(new ConfigProblem("study.grid." + key, "expected a non-empty list of the values to try, got "
                        + v.render(ConfigRenderOptions.concise())));
            } else {
                out.add(new Factor(key, List.copyOf((com.typesafe.config.ConfigList) v)));
            }
        }
        return out;
    }

    private static List<Variant> variants(ConfigValue value, List<ConfigProblem> problems) {
        List<Variant> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (value.valueType() != ConfigValueType.LIST) {
            problems.add(new ConfigProblem("study.variants", "expected a list of { name = ..., set { ... } }"));
            return out;
        }
        Set<String> names = new HashSet<>();
        int i = 0;
        for (ConfigValue item : (com.typesafe.config.ConfigList) value) {
            String where = "study.variants[" + i++ + "]";
            if (item.valueType() != ConfigValueType.OBJECT) {
                problems.add(new ConfigProblem(where, "expected { name = ..., set { ... } }, got "
                        + item.render(ConfigRenderOptions.concise())));
                continue;
            }
            ConfigObject o = (ConfigObject) item;
            for (String k : o.keySet()) {
                if (!k.equals("name") && !k.equals("set")) {
                    problems.add(new ConfigProblem(where + "." + k, "unknown key"
                            + Suggestions.didYouMean(k, List.of("name", "set")) + "; a variant has a name and a set { ... }"));
                }
            }
            ConfigValue n = o.get("name");
            ConfigValue set = o.get("set");
            if (n == null || n.valueType() != ConfigValueType.STRING || String.valueOf(n.unwrapped()).isBlank()) {
                problems.add(new ConfigProblem(where + ".name", "expected the variant's name"));
            } else if (!names.add(String.valueOf(n.unwrapped()))) {
                problems.add(new ConfigProblem(where + ".name", "'" + n.unwrapped() + "' names two variants"));
            } else if (set != null && set.valueType() != ConfigValueType.OBJECT) {
                problems.add(new ConfigProblem(where + ".set", "expected the keys to override { ... }"));
            } else {
                out.add(new Variant(String.valueOf(n.unwrapped()),
                        set == null ? ConfigFactory.empty() : ((ConfigObject) set).toConfig()));
            }
        }
        return out;
    }

    private static List<Integer> seeds(ConfigValue value, List<ConfigProblem> problems) {
        List<Integer> out = new ArrayList<>();
        if (value != null && value.unwrapped() instanceof List<?> items) {
            for (Object o : items) {
                if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.longValue() >= 0
                        && n.longValue() <= Integer.MAX_VALUE && !out.contains(n.intValue())) {
                    out.add(n.intValue());
                } else {
                    problems.add(new ConfigProblem("study.seeds", "expected distinct whole numbers ≥ 0, got " + o));
                }
            }
        } else if (value != null) {
            problems.add(new ConfigProblem("study.seeds", "expected a list of seeds, e.g. [1, 2, 3]"));
        }
        return out;
    }

    private static List<MetricColumn> metrics(ConfigValue value, List<ConfigProblem> problems) {
        List<MetricColumn> out = new ArrayList<>();
        if (value == null || !(value.unwrapped() instanceof List<?> items)) {
            if (value != null) {
                problems.add(new ConfigProblem("study.metrics", "expected a list of paths or { name = ..., path = ... }"));
            }
            return out;
        }
        for (Object o : items) {
            if (o instanceof String p && !p.isBlank()) {
                out.add(new MetricColumn(p, p));
            } else if (o instanceof Map<?, ?> m && m.get("path") instanceof String p && !p.isBlank()
                    && m.keySet().stream().allMatch(k -> k.equals("name") || k.equals("path"))) {
                out.add(new MetricColumn(m.get("name") instanceof String n ? n : p, p));
            } else {
                problems.add(new ConfigProblem("study.metrics", "expected a path into metrics.json (e.g. "
                        + "samples.mode_weights.0) or { name = ..., path = ... }, got " + o));
            }
        }
        return out;
    }
}
