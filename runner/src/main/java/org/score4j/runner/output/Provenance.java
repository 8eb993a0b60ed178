package org.score4j.runner.output;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.runner.ComponentKind;
import org.score4j.runner.plugins.Catalog;
import org.score4j.runner.wiring.ResolvedRun;

/** What a run records so that it can be reproduced: versions, seed, sources of components, data and config hashes. */
public final class Provenance {
    private Provenance() {
    }

    private static final java.util.regex.Pattern NATIVE_BUILD = java.util.regex.Pattern.compile("/bindings/([^/]+)/libnd4j");

    /**
     * Whether this JVM has the JDK's vector API ({@code --add-modules jdk.incubator.vector}): on the CPU backend
     * ncsn-mlp then runs its elementwise work as fused passes on the JVM and ncsn-unet runs on oneDNN and the JVM,
     * whose results differ from ND4J's operations and SameDiff's graph in the last bits.
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

    /**
     * The version of the oneDNN Java presets on the class path (e.g. 2.5.2-1.5.7: oneDNN 2.5.2 for JavaCPP 1.5.7), from
     * their Maven metadata, or "none".
     */
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

    public static Map<String, Object> of(ResolvedRun run, Catalog catalog, String configHash, String command) {
        Properties v = versions();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("started", Instant.now().toString());
        m.put("command", command);
        m.put("seed", run.seed());
        m.put("config_sha256", configHash);
        m.put("data_fingerprint", run.data().fingerprint());
        Map<String, Object> components = new LinkedHashMap<>();
        for (ComponentKind k : ComponentKind.values()) {
            String name = run.names().get(k);
            components.put(k.section(), org.score4j.runner.evaluation.Evaluation.fields("name", name, "source", catalog.of(k).get(name).source()));
        }
        m.put("components", components);
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("score4j", v.getProperty("score4j.version", "unknown"));
        versions.put("deeplearning4j", v.getProperty("dl4j.version", "unknown"));
        versions.put("nd4j_backend", Nd4j.getBackend().getClass().getSimpleName());
        versions.put("nd4j_native_build", nativeBuild());
        versions.put("java", System.getProperty("java.version"));
        versions.put("vector_api", vectorApi());
        versions.put("onednn", oneDnn());
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("versions", versions);
        // oneDNN's weight gradients sum over the batch in as many parts as it has threads.
        m.put("native_threads", Nd4j.getEnvironment().maxThreads());
        m.put("git_commit", gitCommit());
        return m;
    }

    private static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{40}")) {
                return out;
            }
        } catch (IOException | InterruptedException ignored) {
            // Not a git checkout, or no git: the commit is simply unknown.
        }
        return null;
    }
}
