package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins cannot take the host down silently: one that spins in its constructor is stopped by the watchdog, naming it;
 * one whose static initialiser throws keeps its cause; one that calls System.exit is named; a jar dropped straight into
 * plugins/ is loaded.
 */
class PluginMisbehaviourTest {
    @TempDir
    Path dir;

    private static final String PLUGIN = """
            package bad;

            import java.util.List;
            import org.score4j.api.spi.Score4jPlugin;
            import org.score4j.api.spi.ScheduleFactory;

            public final class BadPlugin implements Score4jPlugin {
                %s

                public BadPlugin() {
                    %s
                }

                @Override
                public String apiVersion() {
                    return API_VERSION;
                }

                @Override
                public List<ScheduleFactory> schedules() {
                    return List.of(new ScheduleFactory() {
                        public String name() { return "%s"; }
                        public String description() { return "a schedule"; }
                        public com.typesafe.config.Config defaults() { return com.typesafe.config.ConfigFactory.empty(); }
                        public org.score4j.api.NoiseSchedule create(org.score4j.api.spi.Settings s) {
                            %s
                            return org.score4j.api.NoiseSchedule.of(10, 1);
                        }
                    });
                }
            }
            """;

    @Test
    void aPluginWhoseConstructorSpinsIsStoppedAndNamed() throws Exception {
        build(dir.resolve("plugins/spin"), "", "while (true) { Thread.onSpinWait(); }", "spin", "");
        long t0 = System.nanoTime();
        var r = Score4jProcess.run(dir, Map.of("SCORE4J_PLUGIN_TIMEOUT", "3"), "", "plugins");
        assertThat((System.nanoTime() - t0) / 1e9).as("seconds").isLessThan(60);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("loading the plugin in plugins/spin (plugins/spin) did not finish within 3 s")
                .contains("SCORE4J_PLUGIN_TIMEOUT").doesNotContain("\tat ");
    }

    @Test
    void aPluginWhoseStaticInitialiserThrowsKeepsItsCause() throws Exception {
        build(dir.resolve("plugins/boom"), "static { if (true) throw new IllegalStateException(\"no licence file\"); }",
                "", "boom", "");
        var r = Score4jProcess.run(dir, "plugins");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("plugin bad.BadPlugin in plugins/boom cannot be created")
                .contains("IllegalStateException: no licence file").doesNotContain("\tat ");
    }

    @Test
    void aPluginThatCallsSystemExitIsNamed() throws Exception {
        build(dir.resolve("plugins/quitter"), "", "", "quitter", "System.exit(3);");
        var r = Score4jProcess.run(dir, "train", "--set", "schedule.name=quitter");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("score4j: the plugin in plugins/quitter (bad.BadPlugin$1.create")
                .contains("called System.exit; score4j stopped before its command finished");
    }

    @Test
    void aJarDroppedStraightIntoPluginsIsLoaded() throws Exception {
        build(dir.resolve("plugins"), "", "", "dropped", "");
        Files.move(dir.resolve("plugins/bad.jar"), dir.resolve("plugins/dropped.jar"));
        var r = Score4jProcess.inProcess(dir, "plugins", "--plugins", "plugins");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("dropped - a schedule").contains("source: plugins/dropped.jar");
    }

    private void build(Path target, String staticPart, String constructor, String name, String create)
            throws IOException {
        Path src = dir.resolve("src-" + name + "/bad");
        Path classes = dir.resolve("classes-" + name);
        Files.createDirectories(src);
        Files.createDirectories(classes);
        Files.writeString(src.resolve("BadPlugin.java"), PLUGIN.formatted(staticPart, constructor, name, create));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, "-d", classes.toString(), "-cp", Score4jProcess.classPath(),
                src.resolve("BadPlugin.java").toString())).as("plugin compiles").isZero();
        Files.createDirectories(target);
        try (OutputStream file = Files.newOutputStream(target.resolve("bad.jar"));
             JarOutputStream jar = new JarOutputStream(file);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(f));
                jar.closeEntry();
            }
            jar.putNextEntry(new JarEntry("META-INF/services/org.score4j.api.spi.Score4jPlugin"));
            jar.write("bad.BadPlugin\n".getBytes());
            jar.closeEntry();
        }
    }
}
