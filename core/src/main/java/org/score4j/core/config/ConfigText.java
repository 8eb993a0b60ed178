package org.score4j.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.File;
import java.net.URL;

/**
 * HOCON text parsed as data: nesting bounded before the parser sees it (a 20 000-deep text would overflow its stack),
 * substitutions resolved only within the text (never from the environment or system properties), and includes either
 * refused outright (a run's or a checkpoint's configuration: reading a file never reaches another file or the
 * network) or, for a file the user names on the command line, allowed for files and class-path resources but never
 * for URLs.
 */
public final class ConfigText {
    /** The deepest nesting of objects and lists accepted. */
    public static final int MAX_DEPTH = 64;

    private ConfigText() {
    }

    /** Whether a text may include other files. */
    public enum Includes {
        /** No includes of any kind: configuration read back from a run or a checkpoint. */
        NONE,
        /** Files and class-path resources, never URLs: a configuration or study file the user named. */
        LOCAL
    }

    /**
     * Parses and resolves {@code text}.
     *
     * @param origin how messages name the text's source (a file, "--set key")
     * @throws IllegalArgumentException with a message naming {@code origin} if the text is nested too deeply, is not
     *                                  HOCON, includes what it may not, or cannot be resolved
     */
    public static Config parse(String text, String origin, Includes includes) {
        return resolve(parseUnresolved(text, origin, includes), origin);
    }

    /** As {@link #parse} without resolving substitutions (for overrides resolved later, together). */
    public static Config parseUnresolved(String text, String origin, Includes includes) {
        checkDepth(text, origin);
        try {
            return ConfigFactory.parseString(text, options(origin, includes, null));
        } catch (ConfigException | StackOverflowError e) {
            throw new IllegalArgumentException(origin + " cannot be parsed: " + message(e));
        }
    }

    /** Parses a file the user named, whose relative includes resolve against its folder. */
    public static Config parseFile(File file, Includes includes) {
        String text;
        try {
            text = java.nio.file.Files.readString(file.toPath());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage());
        }
        checkDepth(text, file.toString());
        try {
            return ConfigFactory.parseFile(file, options(file.toString(), includes, file));
        } catch (ConfigException | StackOverflowError e) {
            throw new IllegalArgumentException(file + " cannot be parsed: " + message(e));
        }
    }

    /** Resolves substitutions within {@code config} alone. */
    public static Config resolve(Config config, String origin) {
        try {
            return config.resolve(ConfigResolveOptions.noSystem());
        } catch (ConfigException | StackOverflowError e) {
            throw new IllegalArgumentException(origin + " cannot be resolved: " + message(e));
        }
    }

    private static ConfigParseOptions options(String origin, Includes includes, File file) {
        // A file keeps its own origin, so messages say file:line.
        ConfigParseOptions o = (file == null ? ConfigParseOptions.defaults().setOriginDescription(origin)
                .setSyntax(ConfigSyntax.CONF) : ConfigParseOptions.defaults()).setAllowMissing(false);
        return o.setIncluder(includes == Includes.NONE ? new Refusing() : new LocalOnly());
    }

    private static String message(Throwable e) {
        return e instanceof StackOverflowError ? "it is nested too deeply" : e.getMessage();
    }

    /**
     * Refuses text whose objects and lists nest deeper than {@link #MAX_DEPTH}, counting brackets outside quoted strings
     * and comments: enough to keep the parser's recursion bounded.
     */
    static void checkDepth(String text, String origin) {
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (c == '"') {
                quoted = true;
            } else if (c == '#' || (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/')) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
            } else if (c == '{' || c == '[') {
                if (++depth > MAX_DEPTH) {
                    throw new IllegalArgumentException(origin + " nests objects and lists deeper than " + MAX_DEPTH
                            + " levels; a score4j configuration never needs that");
                }
            } else if (c == '}' || c == ']') {
                depth = Math.max(0, depth - 1);
            }
        }
    }

    /** An includer that refuses everything. */
    private static class Refusing implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL, ConfigIncluderClasspath {
        @Override
        public ConfigIncluder withFallback(ConfigIncluder fallback) {
            return this;
        }

        @Override
        public ConfigObject include(ConfigIncludeContext context, String what) {
            throw refused("include \"" + what + "\"");
        }

        @Override
        public ConfigObject includeFile(ConfigIncludeContext context, File what) {
            throw refused("include file(" + what + ")");
        }

        @Override
        public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
            throw refused("include url(" + what + ")");
        }

        @Override
        public ConfigObject includeResources(ConfigIncludeContext context, String what) {
            throw refused("include classpath(" + what + ")");
        }

        ConfigException refused(String what) {
            return new ConfigException.Generic(what + " is not allowed here: a run's or checkpoint's configuration is "
                    + "read as data and never reaches other files or the network");
        }
    }

    /** Includes of files and class-path resources, as Typesafe Config does them; URLs refused. */
    private static final class LocalOnly extends Refusing {
        @Override
        public ConfigObject include(ConfigIncludeContext context, String what) {
            if (what.contains("://")) {
                throw refused("include \"" + what + "\"");
            }
            com.typesafe.config.ConfigParseable found = context.relativeTo(what);
            if (found == null) {
                throw new ConfigException.Generic("include \"" + what + "\" cannot be found relative to this file");
            }
            return found.parse(context.parseOptions().setIncluder(this));
        }

        @Override
        public ConfigObject includeFile(ConfigIncludeContext context, File what) {
            return ConfigFactory.parseFile(what, context.parseOptions().setIncluder(this)).root();
        }

        @Override
        public ConfigObject includeResources(ConfigIncludeContext context, String what) {
            return ConfigFactory.parseResourcesAnySyntax(what, context.parseOptions().setIncluder(this)).root();
        }

        @Override
        ConfigException refused(String what) {
            return new ConfigException.Generic(what + " is not allowed: score4j never reads configuration from the "
                    + "network; copy the file and include it as a file");
        }
    }
}
