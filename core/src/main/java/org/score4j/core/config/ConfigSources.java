package org.score4j.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.score4j.core.UserError;

/**
 * Where a run's configuration comes from: the defaults, a user file, and {@code --set key=value} overrides; and the
 * configuration a run or a checkpoint holds, read back as data ({@link ConfigText.Includes#NONE}).
 */
public final class ConfigSources {
    private static final String DEFAULTS = "score4j-defaults.conf";

    private ConfigSources() {
    }

    /** The runner's own defaults (component sections hold only their {@code name}). */
    public static Config defaults() {
        return ConfigFactory.parseURL(ConfigSources.class.getResource(DEFAULTS),
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
                throw new UserError("configuration file " + file + (Files.exists(file) ? " is not a regular file"
                        : " does not exist"));
            }
            try {
                user = ConfigText.parseFile(file.toFile(), ConfigText.Includes.LOCAL);
            } catch (IllegalArgumentException e) {
                throw new UserError("configuration file " + e.getMessage());
            }
        }
        return overlay(user, overrides);
    }

    /** {@code base} overlaid by the overrides, in order, then resolved. */
    public static Config overlay(Config base, List<String> overrides) {
        Config user = base;
        for (String o : overrides) {
            user = override(o).withFallback(user);
        }
        try {
            return ConfigText.resolve(user, "the configuration");
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** A saved run's configuration with {@code --set} overrides on top, as {@link #over} combines them. */
    public static Config changed(Config saved, List<String> overrides) {
        return overlay(over(saved, overlay(ConfigFactory.empty(), overrides)), List.of());
    }

    /**
     * A saved run's configuration with the user's changes on top. A component whose {@code name}
     * the user changes keeps none of the saved component's keys.
     */
    public static Config over(Config saved, Config given) {
        Config base = saved;
        for (String section : ComponentSlot.sections()) {
            String path = section + ".name";
            if (given.hasPath(path) && base.hasPath(path)
                    && !String.valueOf(given.getValue(path).unwrapped()).equals(String.valueOf(base.getValue(path).unwrapped()))) {
                base = base.withoutPath(section);
            }
        }
        return given.withFallback(base);
    }

    /**
     * Configuration text kept inside a run or a checkpoint, read as data: no includes, no substitutions from outside.
     *
     * @throws UserError naming {@code source} if the text is not such HOCON
     */
    public static Config parse(String text, Path source) {
        try {
            return ConfigText.parse(text, source.toString(), ConfigText.Includes.NONE);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /**
     * A run directory's {@code config.conf}, read as data.
     *
     * @throws UserError if the directory is not a run or its configuration cannot be read
     */
    public static Config saved(Path runDir) {
        Path saved = runDir.resolve("config.conf");
        if (!Files.isRegularFile(saved)) {
            throw new UserError(runDir + " is not a score4j run directory (no config.conf)");
        }
        try {
            if (Files.size(saved) > (1 << 20)) {
                throw new UserError(saved + " is larger than the 1 MiB a run's configuration ever needs");
            }
            return parse(Files.readString(saved), saved);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new UserError(saved + " cannot be read: " + e.getMessage());
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
            return ConfigText.parseUnresolved(key + " = " + value, "--set " + key, ConfigText.Includes.NONE);
        } catch (IllegalArgumentException e) {
            if (e.getMessage().contains("nests objects")) {
                throw new UserError(e.getMessage());
            }
            return ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(value, "--set " + key));
        }
    }
}
