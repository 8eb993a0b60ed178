package org.score4j.runner.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.score4j.runner.ComponentKind;
import org.score4j.runner.UserError;

/** Where a run's configuration comes from: the defaults, a user file, and {@code --set key=value} overrides. */
public final class ConfigSources {
    private static final String DEFAULTS = "score4j-defaults.conf";

    private ConfigSources() {
    }

    /** The runner's own defaults (component sections hold only their {@code name}). */
    public static Config defaults() {
        return ConfigFactory.parseResources(ConfigSources.class.getClassLoader(), DEFAULTS,
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /**
     * What the user gave: the file (may be null) overlaid by the overrides, in order.
     *
     * @throws UserError for a missing or unparsable file or a malformed override
     */
    public static Config user(Path file, List<String> overrides) {
        Config user = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new UserError("configuration file " + file + " does not exist");
            }
            try {
                user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new UserError("configuration file " + file + " cannot be parsed: " + e.getMessage());
            }
        }
        for (String o : overrides) {
            user = override(o).withFallback(user);
        }
        try {
            return user.resolve();
        } catch (ConfigException e) {
            throw new UserError("configuration cannot be resolved: " + e.getMessage());
        }
    }

    /**
     * A saved run's configuration with the user's changes on top. A component whose {@code name}
     * the user changes keeps none of the saved component's keys.
     */
    public static Config over(Config saved, Config given) {
        Config base = saved;
        for (ComponentKind kind : ComponentKind.values()) {
            String path = kind.section() + ".name";
            if (given.hasPath(path) && base.hasPath(path)
                    && !String.valueOf(given.getValue(path).unwrapped()).equals(String.valueOf(base.getValue(path).unwrapped()))) {
                base = base.withoutPath(kind.section());
            }
        }
        return given.withFallback(base);
    }

    /**
     * Parses configuration text kept inside another file (e.g. a checkpoint).
     *
     * @throws UserError naming {@code source} if the text is not HOCON
     */
    public static Config parse(String text, Path source) {
        try {
            return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(source.toString()))
                    .resolve();
        } catch (ConfigException e) {
            throw new UserError(source + ": the configuration it holds cannot be parsed: " + e.getMessage());
        }
    }

    private static Config override(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new UserError("--set expects key=value, got '" + assignment + "'");
        }
        String key = assignment.substring(0, eq).strip();
        String value = assignment.substring(eq + 1).strip();
        try {
            ConfigFactory.parseString(key + " = null");
        } catch (ConfigException e) {
            throw new UserError("--set " + assignment + ": '" + key + "' is not a valid key path");
        }
        try {
            return ConfigFactory.parseString(key + " = " + value, ConfigParseOptions.defaults().setOriginDescription("--set " + key));
        } catch (ConfigException e) {
            return ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(value, "--set " + key));
        }
    }
}
