package org.score4j.core.output;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.core.config.ComponentSlot;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.plugins.Catalog;
import org.score4j.core.plugins.Registered;

/**
 * What a run records so that it can be reproduced ({@code provenance.json}): the command, seed and hashes of the
 * configuration and data, the checkpoint a sampling run read, every component with the jar it came from (its version
 * and SHA-256), score4j's own build, and the environment that affects results.
 *
 * @param checkpointSha256 the SHA-256 of the checkpoint sampled from, or null when the run trained its model
 * @param components       per slot of the configuration
 */
public record Provenance(String started, String command, long seed, String configSha256, String dataFingerprint,
                         String checkpointSha256, Map<String, Component> components, Build build,
                         Environment environment) {
    public Provenance {
        components = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(components));
    }

    /**
     * A component of the run.
     *
     * @param name    its plugin name
     * @param source  where it was loaded from, as shown to users
     * @param version the jar's version (its Maven metadata or manifest), or null
     * @param sha256  the SHA-256 of the jar, or null for a classes directory
     */
    public record Component(String name, String source, String version, String sha256) {
    }

    /**
     * score4j's own build: its version, the SHA-256 of the core jar that ran, and the git commit of the score4j
     * checkout that jar was built in when it lies in one (never the commit of the directory the user runs in).
     */
    public record Build(String score4j, String coreJarSha256, String gitCommit, String deeplearning4j) {
    }

    /** What else affects results: the backend, its native build, threads, the JVM and vector API, the OS. */
    public record Environment(String nd4jBackend, String nativeBuild, int nativeThreads, String java, boolean vectorApi,
                              String oneDnn, String os) {
    }

    private static final Map<Path, String[]> JARS = new ConcurrentHashMap<>();
    private static final java.util.regex.Pattern NATIVE_BUILD = java.util.regex.Pattern.compile("/bindings/([^/]+)/libnd4j");

    /** The provenance of a run starting now. */
    public static Provenance of(ResolvedRun run, Catalog catalog, String command, String checkpointSha256) {
        Objects.requireNonNull(run, "run");
        Map<String, Component> components = new LinkedHashMap<>();
        for (ComponentSlot slot : ComponentSlot.values()) {
            String name = run.name(slot);
            Registered r = catalog.of(slot.kind()).get(name);
            if (r == null) {
                components.put(slot.path(), new Component(name, "score4j", null, null));
                continue;
            }
            String[] jar = jar(r.location());
            components.put(slot.path(), new Component(name, r.source(), jar[0], jar[1]));
        }
        return new Provenance(Instant.now().toString(), command, run.seed(), run.configHash(), run.data().fingerprint(),
                checkpointSha256, components, currentBuild(), currentEnvironment());
    }

    private static volatile Build thisBuild;

    /** score4j's build (found once per process). */
    public static Build currentBuild() {
        if (thisBuild == null) {
            Properties v = versions();
            Path core = location(Provenance.class);
            String[] jar = jar(core);
            thisBuild = new Build(v.getProperty("score4j.version", "unknown"), jar[1], core == null ? null : gitCommit(core),
                    v.getProperty("dl4j.version", "unknown"));
        }
        return thisBuild;
    }

    /** The environment of this JVM. */
    public static Environment currentEnvironment() {
        return new Environment(Nd4j.getBackend().getClass().getSimpleName(), nativeBuild(),
                Nd4j.getEnvironment().maxThreads(), System.getProperty("java.version"), vectorApi(), oneDnn(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }

    /**
     * Whether this JVM has the JDK's vector API ({@code --add-modules jdk.incubator.vector}): on the CPU backend the
     * models and the optimizer then run their elementwise work as fused passes, whose results differ from ND4J's
     * operations in the last bits.
     */
    public static boolean vectorApi() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** The libnd4j build this JVM loaded (e.g. linux-x86_64-onednn-avx2), from the path JavaCPP loaded it from. */
    public static String nativeBuild() {
        Nd4j.getBackend();
        for (String path : org.bytedeco.javacpp.Loader.getLoadedLibraries().values()) {
            java.util.regex.Matcher m = NATIVE_BUILD.matcher(path == null ? "" : path);
            if (m.find()) {
                return m.group(1);
            }
        }
        return "unknown native build";
    }

    /** The version of the oneDNN Java presets on the class path, from their Maven metadata, or "none". */
    public static String oneDnn() {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.bytedeco/dnnl/pom.properties")) {
            if (in == null) {
                return "none";
            }
            p.load(in);
        } catch (IOException e) {
            return "none";
        }
        return p.getProperty("version", "none");
    }

    /** Version facts from the build: score4j, DL4J, the ND4J backend artifact. */
    public static Properties versions() {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getClassLoader().getResourceAsStream("score4j-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // Versions are informative; their absence must not stop a run.
        }
        return p;
    }

    private static Path location(Class<?> type) {
        try {
            var cs = type.getProtectionDomain().getCodeSource();
            return cs == null || cs.getLocation() == null ? null : Path.of(cs.getLocation().toURI());
        } catch (java.net.URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /** A jar's version and SHA-256 (nulls for a directory or an unreadable file), computed once per jar. */
    private static String[] jar(Path location) {
        if (location == null || !Files.isRegularFile(location)) {
            return new String[2];
        }
        return JARS.computeIfAbsent(location, p -> {
            String version = null;
            try (JarFile jar = new JarFile(p.toFile())) {
                var manifest = jar.getManifest();
                version = manifest == null ? null : manifest.getMainAttributes().getValue("Implementation-Version");
                if (version == null) {
                    var props = jar.stream().filter(e -> e.getName().startsWith("META-INF/maven/")
                            && e.getName().endsWith("/pom.properties")).findFirst();
                    if (props.isPresent()) {
                        Properties pp = new Properties();
                        try (InputStream in = jar.getInputStream(props.get())) {
                            pp.load(in);
                        }
                        version = pp.getProperty("version");
                    }
                }
            } catch (IOException e) {
                // a jar without readable metadata has no version to record
            }
            String sha = null;
            try {
                sha = org.score4j.api.spi.Fingerprint.sha256(p);
            } catch (IOException e) {
                // recorded as unknown
            }
            return new String[] {version, sha};
        });
    }

    /** The commit of the git checkout holding {@code path}, or null outside one (or without git). */
    private static String gitCommit(Path path) {
        Path dir = Files.isDirectory(path) ? path : path.getParent();
        if (dir == null) {
            return null;
        }
        try {
            Process p = new ProcessBuilder("git", "-C", dir.toString(), "rev-parse", "HEAD").redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{40}")) {
                return out;
            }
        } catch (IOException | InterruptedException ignored) {
            // Not built in a git checkout, or no git: the commit is simply unknown.
        }
        return null;
    }
}
