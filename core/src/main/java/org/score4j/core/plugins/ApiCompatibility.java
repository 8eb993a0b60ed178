package org.score4j.core.plugins;

import org.score4j.api.spi.Score4jPlugin;

/**
 * Whether a plugin was built for this runner's API: same major version, minor version not newer
 * (see {@link Score4jPlugin#API_VERSION}).
 */
final class ApiCompatibility {
    private static final String VERSION = "\\d+\\.\\d+";

    private ApiCompatibility() {
    }

    /** Why {@code plugin} cannot be used here, or null if it can. */
    static String problem(Score4jPlugin plugin) {
        String built;
        try {
            built = plugin.apiVersion();
        } catch (AbstractMethodError e) {
            return "plugin " + plugin.getClass().getName() + " was built for a score4j API older than 1.0 (it has no "
                    + "apiVersion()); rebuild it against score4j-api " + Score4jPlugin.API_VERSION;
        } catch (RuntimeException | LinkageError e) {
            return "plugin " + plugin.getClass().getName() + " failed to say its API version: " + e;
        }
        String host = Score4jPlugin.API_VERSION;
        if (built == null || !built.matches(VERSION)) {
            return "plugin " + plugin.getClass().getName() + " declares the API version '" + built
                    + "', expected major.minor such as " + host + " (implement apiVersion() as return API_VERSION;)";
        }
        int[] b = parse(built);
        int[] h = parse(host);
        if (b[0] != h[0] || b[1] > h[1]) {
            return "plugin " + plugin.getClass().getName() + " was built for score4j API " + built
                    + ", but this score4j provides API " + host + " (plugins built for " + h[0] + ".0 to " + host
                    + " run); rebuild it against score4j-api " + host
                    + (b[0] > h[0] || (b[0] == h[0] && b[1] > h[1]) ? " or use a newer score4j" : "")
                    + (b[0] < h[0] ? " (docs/plugin-guide.md, 'Migrating from API " + b[0] + ".x', says what changed)" : "");
        }
        return null;
    }

    private static int[] parse(String version) {
        String[] parts = version.split("\\.");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }
}
