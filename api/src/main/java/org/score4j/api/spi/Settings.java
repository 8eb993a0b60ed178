package org.score4j.api.spi;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The configuration section of one component, read strictly.
 *
 * <p>Values come from what the user gave, falling back to the factory's
 * {@link ComponentFactory#defaults() defaults}. Getters never throw for a bad value: they record a
 * {@link ConfigProblem} naming the key, the value and what was expected, and return a harmless
 * stand-in so the factory can go on reading and every problem is reported at once.
 * {@link #build} then throws a {@link SettingsException} if anything was wrong. Keys the user gave
 * that no one read are reported by {@link #unreadProblems()} with a "did you mean" suggestion.
 *
 * <p>Not thread-safe; one instance per component creation.
 */
public final class Settings {
    private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();

    private final String section;
    private final Config given;
    private final Config defaults;
    private final Config merged;
    private final Set<String> read = new LinkedHashSet<>();
    private final List<ConfigProblem> problems = new ArrayList<>();

    private Settings(String section, Config given, Config defaults) {
        this.section = Objects.requireNonNull(section, "section");
        this.given = Objects.requireNonNull(given, "given");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.merged = given.withFallback(defaults);
    }

    /**
     * @param section  the path of the section in the whole configuration, used in messages
     * @param given    the keys the user set in that section (the selector key {@code name} removed)
     * @param defaults the factory's defaults
     */
    public static Settings of(String section, Config given, Config defaults) {
        return new Settings(section, given, defaults);
    }

    /** The settings of {@code factory} with the user's keys given as HOCON text (handy in tests). */
    public static Settings of(ComponentFactory<?> factory, String hocon) {
        return new Settings(factory.name(), ConfigFactory.parseString(hocon), factory.defaults());
    }

    /** The path of this section, e.g. {@code schedule}. */
    public String section() {
        return section;
    }

    /** Any finite number. */
    public double real(String key) {
        return number(key, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false, "a finite number");
    }

    /** A finite number &gt; 0. */
    public double positive(String key) {
        return number(key, 0, Double.POSITIVE_INFINITY, true, "a number greater than 0");
    }

    /** A finite number ≥ {@code min}. */
    public double atLeast(String key, double min) {
        return number(key, min, Double.POSITIVE_INFINITY, false, "a number of at least " + min);
    }

    /** A finite number in [lo, hi]. */
    public double between(String key, double lo, double hi) {
        return number(key, lo, hi, false, "a number between " + lo + " and " + hi);
    }

    /** A whole number ≥ {@code min}. */
    public int integer(String key, int min) {
        ConfigValue v = lookup(key);
        if (v == null) {
            return min;
        }
        if (v.valueType() == ConfigValueType.NUMBER) {
            double d = ((Number) v.unwrapped()).doubleValue();
            if (d == Math.rint(d) && d >= min && d <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        problem(key, "expected a whole number of at least " + min + ", got " + describe(v));
        return min;
    }

    /** true or false. */
    public boolean flag(String key) {
        ConfigValue v = lookup(key);
        if (v == null) {
            return false;
        }
        if (v.valueType() == ConfigValueType.BOOLEAN) {
            return (Boolean) v.unwrapped();
        }
        problem(key, "expected true or false, got " + describe(v));
        return false;
    }

    /** A non-empty string. */
    public String text(String key) {
        ConfigValue v = lookup(key);
        if (v == null) {
            return "";
        }
        if (v.valueType() == ConfigValueType.STRING && !((String) v.unwrapped()).isBlank()) {
            return (String) v.unwrapped();
        }
        problem(key, "expected a non-empty string, got " + describe(v));
        return "";
    }

    /** One of {@code options}. */
    public String choice(String key, Collection<String> options) {
        ConfigValue v = lookup(key);
        if (v == null) {
            return options.iterator().next();
        }
        Object raw = v.unwrapped();
        if (raw instanceof String s && options.contains(s)) {
            return s;
        }
        problem(key, "expected one of " + String.join(", ", options) + ", got " + describe(v)
                + (raw instanceof String s ? Suggestions.didYouMean(s, options) : ""));
        return options.iterator().next();
    }

    /** A list of finite numbers (may be empty). */
    public double[] reals(String key) {
        ConfigValue v = lookup(key);
        if (v == null) {
            return new double[0];
        }
        if (v.valueType() == ConfigValueType.LIST) {
            List<?> items = (List<?>) v.unwrapped();
            double[] out = new double[items.size()];
            boolean ok = true;
            for (int i = 0; i < out.length; i++) {
                if (items.get(i) instanceof Number n && Double.isFinite(n.doubleValue())) {
                    out[i] = n.doubleValue();
                } else {
                    ok = false;
                }
            }
            if (ok) {
                return out;
            }
        }
        problem(key, "expected a list of numbers, got " + describe(v));
        return new double[0];
    }

    /** The raw value, for structured settings a factory parses itself (report mistakes with {@link #problem}). */
    public ConfigValue value(String key) {
        return lookup(key);
    }

    /** Records a problem with {@code key}. */
    public void problem(String key, String message) {
        problems.add(new ConfigProblem(path(key), message));
    }

    /** Records {@code message} against {@code key} unless {@code condition} holds. */
    public void require(boolean condition, String key, String message) {
        if (!condition) {
            problem(key, message);
        }
    }

    /**
     * Runs {@code constructor} if no problem was recorded; otherwise, or if the constructor rejects
     * its arguments with an {@link IllegalArgumentException}, throws a {@link SettingsException}
     * with every problem.
     */
    public <T> T build(Supplier<T> constructor) {
        if (problems.isEmpty()) {
            try {
                return constructor.get();
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(section, e.getMessage()));
            }
        }
        throw new SettingsException(problems);
    }

    /** The problems recorded so far. */
    public List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    /** The keys read so far. */
    public Set<String> readKeys() {
        return Set.copyOf(read);
    }

    /** Keys the user set that were never read: each a problem with a "did you mean" suggestion. */
    public List<ConfigProblem> unreadProblems() {
        Set<String> known = new TreeSet<>(read);
        defaults.entrySet().forEach(e -> known.add(e.getKey()));
        List<ConfigProblem> out = new ArrayList<>();
        for (var entry : given.entrySet()) {
            String key = entry.getKey();
            if (!wasRead(key)) {
                String hint = Suggestions.closest(key, known).map(s -> " (did you mean '" + s + "'?)")
                        .orElse(known.isEmpty() ? "; this component takes no keys"
                                : "; known keys: " + String.join(", ", known));
                out.add(new ConfigProblem(path(key), "unknown key" + hint));
            }
        }
        return out;
    }

    private boolean wasRead(String key) {
        for (String r : read) {
            if (key.equals(r) || key.startsWith(r + ".")) {
                return true;
            }
        }
        return false;
    }

    private double number(String key, double lo, double hi, boolean exclusiveLow, String expected) {
        ConfigValue v = lookup(key);
        if (v == null) {
            return Double.isFinite(lo) ? Math.max(lo, 1) : 0;
        }
        if (v.valueType() == ConfigValueType.NUMBER) {
            double d = ((Number) v.unwrapped()).doubleValue();
            boolean aboveLow = exclusiveLow ? d > lo : d >= lo;
            if (Double.isFinite(d) && aboveLow && d <= hi) {
                return d;
            }
        }
        problem(key, "expected " + expected + ", got " + describe(v));
        return Double.isFinite(lo) ? Math.max(lo, 1) : 0;
    }

    private ConfigValue lookup(String key) {
        read.add(key);
        try {
            if (merged.hasPathOrNull(key) && !merged.getIsNull(key)) {
                return merged.getValue(key);
            }
        } catch (ConfigException e) {
            problem(key, "cannot be read: " + e.getMessage());
            return null;
        }
        problem(key, defaults.hasPathOrNull(key) ? "a value is required"
                : "has no value (the component reads a key it does not declare in its defaults)");
        return null;
    }

    private String path(String key) {
        return section.isEmpty() ? key : section + "." + key;
    }

    private static String describe(ConfigValue v) {
        String rendered = v.render(CONCISE);
        ConfigOrigin o = v.origin();
        String where = o != null && o.filename() != null ? " (" + o.filename() + ":" + o.lineNumber() + ")" : "";
        return rendered + where;
    }
}
