package org.score4j.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/** The keys in which two resolved configurations differ, for refusing a resume that would not continue the same run. */
public final class ConfigDiff {
    private ConfigDiff() {
    }

    /**
     * Each differing key as {@code key: old → new} ({@code (absent)} for a missing key), sorted by key.
     *
     * @param ignored keys allowed to differ
     */
    public static List<String> between(Config before, Config after, Predicate<String> ignored) {
        Map<String, String> a = flatten(before);
        Map<String, String> b = flatten(after);
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<String> out = new ArrayList<>();
        for (String key : keys) {
            String x = a.getOrDefault(key, "(absent)");
            String y = b.getOrDefault(key, "(absent)");
            if (!x.equals(y) && !ignored.test(key)) {
                out.add(key + ": " + x + " → " + y);
            }
        }
        return out;
    }

    private static Map<String, String> flatten(Config c) {
        Map<String, String> m = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
            m.put(e.getKey(), e.getValue().render(ConfigRenderOptions.concise()));
        }
        return m;
    }
}
