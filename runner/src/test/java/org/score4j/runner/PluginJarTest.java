package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.api.spi.SamplerFactory;
import org.score4j.core.output.RunDirectory;
import org.score4j.core.plugins.Catalog;
import org.score4j.core.plugins.ComponentKind;
import org.score4j.core.UserError;

/** A real plugin jar, compiled and packed at test time, found in plugins/, isolated, and selected by name. */
class PluginJarTest {
    @TempDir
    Path dir;

    private static final String PLUGIN = """
            package example.shift;

            import com.typesafe.config.Config;
            import com.typesafe.config.ConfigFactory;
            import java.util.List;
            import org.score4j.api.Sampler;
            import org.score4j.api.spi.SamplerFactory;
            import org.score4j.api.spi.Score4jPlugin;
            import org.score4j.api.spi.Settings;

            public final class ShiftPlugin implements Score4jPlugin {
                @Override
                public String apiVersion() {
                    return %s;
                }

                @Override
                public List<SamplerFactory> samplers() {
                    return List.of(new SamplerFactory() {
                        public String name() { return "%s"; }
                        public String description() {
                            return "moves chains by a constant; uses " + org.score4j.samplers.langevin.LangevinSampler.origin();
                        }
                        public Config defaults() { return ConfigFactory.parseString("# The shift.\\nby = 2"); }
                        public Sampler create(Settings s) {
                            double by = s.real("by");
                            return s.build(() -> new Sampler() {
                                public org.nd4j.linalg.api.ndarray.INDArray sample(org.score4j.api.ScoreFunction score,
                                        org.score4j.api.SamplingGrid grid, org.nd4j.linalg.api.ndarray.INDArray start,
                                        org.score4j.api.random.RandomSource noise, org.score4j.api.StepListener listener) {
                                    org.nd4j.linalg.api.ndarray.INDArray x = start.add(by);
                                    listener.afterStep(new org.score4j.api.SamplerStep(1, 1, 0, x, null));
                                    return x;
                                }
                                public long evaluations(org.score4j.api.SamplingGrid grid) { return 1; }
                            });
                        }
                    });
                }
            }
            """;

    /** A class with the name of a host class: the plugin must see its own copy. */
    private static final String SHADOW = """
            package org.score4j.samplers.langevin;

            public final class LangevinSampler {
                public static String origin() { return "the plugin's own LangevinSampler"; }
            }
            """;

    @Test
    void pluginIsFoundIsolatedAndSelectedByName() throws Exception {
        Path plugins = dir.resolve("plugins");
        buildPlugin(plugins.resolve("shift"), "shift");

        Catalog catalog = Catalog.discover(plugins);
        var registered = catalog.of(ComponentKind.SAMPLER).get("shift");
        assertThat(registered.source()).endsWith("plugins/shift/shift.jar");
        assertThat(registered.factory().description()).contains("the plugin's own LangevinSampler");
        ClassLoader pluginLoader = registered.factory().getClass().getClassLoader();
        assertThat(pluginLoader.loadClass("org.score4j.samplers.langevin.LangevinSampler"))
                .isNotSameAs(Class.forName("org.score4j.samplers.langevin.LangevinSampler"));
        assertThat(pluginLoader.loadClass(SamplerFactory.class.getName())).isSameAs(SamplerFactory.class);

        var listing = Score4jProcess.run(dir, "plugins");
        assertThat(listing.exitCode()).isZero();
        assertThat(listing.out()).contains("  shift - moves chains by a constant").contains("sampler.by = 2   # The shift.");

        var run = Score4jProcess.run(dir, "run", "-o", "out", "--set", "sampler.name=shift", "--set", "sampler.by=100",
                "--set", "train.steps=5", "--set", "sample.count=50", "--set", "eval.plots=false");
        assertThat(run.exitCode()).as(run.all()).isZero();
        JsonNode metrics = RunDirectory.readJson(dir.resolve("out/metrics.json"));
        assertThat(metrics.at("/samples/sampler").asText()).isEqualTo("shift");
        assertThat(metrics.at("/samples/mode_weights/1").asDouble()).isEqualTo(1.0);
        JsonNode provenance = RunDirectory.readJson(dir.resolve("out/provenance.json"));
        assertThat(provenance.at("/components/sampler/source").asText()).endsWith("plugins/shift/shift.jar");
    }

    @Test
    void duplicateNamesAndBrokenDirectoriesStopTheStart() throws Exception {
        Path plugins = dir.resolve("plugins");
        buildPlugin(plugins.resolve("dup"), "langevin");
        assertThatThrownBy(() -> Catalog.discover(plugins)).isInstanceOf(UserError.class)
                .hasMessageContaining("duplicate sampler 'langevin': provided by ").hasMessageContaining("samplers-langevin")
                .hasMessageContaining("and by " + plugins.resolve("dup/shift.jar"));
        var r = Score4jProcess.run(dir, "plugins");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("duplicate sampler 'langevin'");

        Files.createDirectories(plugins.resolve("empty"));
        Files.writeString(plugins.resolve("empty/broken.jar"), "not a jar");
        Files.delete(plugins.resolve("dup/shift.jar"));
        assertThatThrownBy(() -> Catalog.discover(plugins))
                .hasMessageContaining(plugins.resolve("empty/broken.jar") + " is not a readable jar file")
                .hasMessageContaining(plugins.resolve("dup") + " holds no jar files");
    }

    @Test
    void aJarThatDeclaresAMissingPluginClassIsNamed() throws Exception {
        Path jarFile = Files.createDirectories(dir.resolve("plugins/missing")).resolve("missing.jar");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(jarFile))) {
            jar.putNextEntry(new JarEntry("META-INF/services/org.score4j.api.spi.Score4jPlugin"));
            jar.write("example.NotThere\n".getBytes());
            jar.closeEntry();
        }
        var r = Score4jProcess.run(dir, "plugins");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("plugin discovery failed:\n  a plugin in plugins/missing cannot be loaded: ")
                .contains("Provider example.NotThere not found").doesNotContain("holds no score4j plugin")
                .doesNotContain("\tat ");
    }

    @Test
    void aPluginBuiltForAnotherApiVersionIsRefusedNamingBothVersions() throws Exception {
        Path plugins = dir.resolve("plugins");
        buildPlugin(plugins.resolve("newer"), "newer", "\"2.1\"");
        buildPlugin(plugins.resolve("major"), "major", "\"3.0\"");
        buildPlugin(plugins.resolve("odd"), "odd", "\"v1\"");
        buildPlugin(plugins.resolve("legacy"), "legacy", "\"1.6\"");
        buildPlugin(plugins.resolve("current"), "current", "\"2.0\"");
        assertThatThrownBy(() -> Catalog.discover(plugins)).isInstanceOf(UserError.class)
                .hasMessageContaining(plugins.resolve("newer/shift.jar") + ": plugin example.shift.ShiftPlugin was built "
                        + "for score4j API 2.1, but this score4j provides API 2.0 (plugins built for 2.0 to 2.0 run); "
                        + "rebuild it against score4j-api 2.0 or use a newer score4j")
                .hasMessageContaining(plugins.resolve("major/shift.jar") + ": plugin example.shift.ShiftPlugin was built "
                        + "for score4j API 3.0")
                .hasMessageContaining(plugins.resolve("legacy/shift.jar") + ": plugin example.shift.ShiftPlugin was built "
                        + "for score4j API 1.6").hasMessageContaining("docs/plugin-guide.md")
                .hasMessageContaining(plugins.resolve("odd/shift.jar") + ": plugin example.shift.ShiftPlugin declares the "
                        + "API version 'v1', expected major.minor such as 2.0")
                .message().doesNotContain("current");
    }

    private void buildPlugin(Path target, String name) throws IOException {
        buildPlugin(target, name, "API_VERSION");
    }

    private void buildPlugin(Path target, String name, String apiVersion) throws IOException {
        Path src = dir.resolve("src-" + name);
        Path classes = dir.resolve("classes-" + name);
        Files.createDirectories(src.resolve("example/shift"));
        Files.createDirectories(src.resolve("org/score4j/samplers/langevin"));
        Files.createDirectories(classes);
        Files.writeString(src.resolve("example/shift/ShiftPlugin.java"), PLUGIN.formatted(apiVersion, name));
        Files.writeString(src.resolve("org/score4j/samplers/langevin/LangevinSampler.java"), SHADOW);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", Score4jProcess.classPath(),
                "-sourcepath", src.toString(), src.resolve("example/shift/ShiftPlugin.java").toString());
        assertThat(rc).as("plugin compiles").isZero();
        Files.createDirectories(target);
        try (OutputStream file = Files.newOutputStream(target.resolve("shift.jar"));
             JarOutputStream jar = new JarOutputStream(file);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(f));
                jar.closeEntry();
            }
            jar.putNextEntry(new JarEntry("META-INF/services/org.score4j.api.spi.Score4jPlugin"));
            jar.write("example.shift.ShiftPlugin\n".getBytes());
            jar.closeEntry();
        }
    }
}
