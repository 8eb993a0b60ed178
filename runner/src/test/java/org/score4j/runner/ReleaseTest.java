package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./release 2.0.0 DIR} on the working tree writes a Maven repository holding the parent pom, score4j-api,
 * score4j-testkit, score4j-core and every module the core needs, each with its jar, sources and Javadoc jars and
 * checksums, and nothing that names a snapshot; a plugin project (examples/plugin-example, copied) builds and passes
 * its tests against that repository with {@code -Dscore4j.version=2.0.0}, and a program depending on score4j-core
 * 2.0.0 finds the built-in plugins by name. The consumers resolve org.score4j only from the release repository: they
 * use a fresh local repository, and everything else comes from this build's local repository as a file mirror (no
 * network). The release itself takes about 2 minutes on 2 cores (it runs no tests; {@code mvn verify} runs them):
 * {@code -DexcludedGroups=release} skips it locally.
 */
@Tag("release")
class ReleaseTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String VERSION = "2.0.0";
    /** The modules the release publishes: the library (score4j-core), what it needs, and the test kit. */
    private static final List<String> MODULES = List.of("api", "testkit", "nn", "optimizers", "schedules", "datasets",
            "objectives-dsm", "objectives-ssm", "samplers-langevin", "samplers-annealed", "samplers-sde",
            "samplers-ode", "models-ncsn", "core");

    @TempDir
    static Path dir;

    private static Path repository;

    @BeforeAll
    static void release() throws Exception {
        assumeTrue(Files.exists(ROOT.resolve(".git")),
                "the release exports files with git: a git checkout or worktree only");
        repository = dir.resolve("repository");
        List<String> command = new ArrayList<>(List.of("bash", "./release", VERSION, repository.toString(),
                "--working-tree", "--skip-tests", "--"));
        command.addAll(outerMavenSettings());
        String out = run(ROOT, dir.resolve("release.log"), 30, command);
        assertThat(out).contains("release: wrote score4j " + VERSION + " into " + repository);
    }

    @Test
    void everyModuleHasItsPomJarSourcesAndJavadocWithChecksums() throws Exception {
        Path parent = artifact("score4j-parent", ".pom");
        assertThat(parent).isRegularFile();
        assertChecksums(parent);
        for (String module : MODULES) {
            for (String suffix : List.of(".pom", ".jar", "-sources.jar", "-javadoc.jar")) {
                Path file = artifact("score4j-" + module, suffix);
                assertThat(file).as(module + suffix).isNotEmptyFile();
                assertChecksums(file);
            }
            try (JarFile javadoc = new JarFile(artifact("score4j-" + module, "-javadoc.jar").toFile());
                    JarFile sources = new JarFile(artifact("score4j-" + module, "-sources.jar").toFile())) {
                assertThat(javadoc.getEntry("index.html")).as(module + "'s Javadoc").isNotNull();
                assertThat(sources.stream().map(e -> e.getName())).as(module + "'s sources")
                        .anyMatch(n -> n.endsWith(".java"));
            }
        }
        try (JarFile javadoc = new JarFile(artifact("score4j-api", "-javadoc.jar").toFile());
                JarFile sources = new JarFile(artifact("score4j-api", "-sources.jar").toFile())) {
            assertThat(javadoc.getEntry("org/score4j/api/spi/Score4jPlugin.html")).isNotNull();
            assertThat(sources.getEntry("org/score4j/api/spi/Score4jPlugin.java")).isNotNull();
        }
        try (JarFile javadoc = new JarFile(artifact("score4j-core", "-javadoc.jar").toFile())) {
            assertThat(javadoc.getEntry("org/score4j/core/lib/Score4j.html")).isNotNull();
        }
        try (JarFile javadoc = new JarFile(artifact("score4j-testkit", "-javadoc.jar").toFile())) {
            assertThat(javadoc.getEntry("org/score4j/testkit/PluginContract.html")).isNotNull();
        }
        try (Stream<Path> released = Files.list(repository.resolve("org/score4j"))) {
            assertThat(released.map(p -> p.getFileName().toString())).as("the application and the example stay out")
                    .containsExactlyInAnyOrderElementsOf(Stream.concat(Stream.of("score4j-parent"),
                            MODULES.stream().map(m -> "score4j-" + m)).toList());
        }
    }

    @Test
    void nothingInTheRepositoryIsASnapshot() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(repository)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).hasSizeGreaterThan(MODULES.size() * 12);
        for (Path file : files) {
            String name = file.getFileName().toString();
            assertThat(repository.relativize(file).toString()).doesNotContainIgnoringCase("snapshot");
            if (name.endsWith(".pom") || name.endsWith(".xml")) {
                assertThat(Files.readString(file)).as(name).doesNotContainIgnoringCase("snapshot");
            } else if (name.endsWith(".jar")) {
                try (JarFile jar = new JarFile(file.toFile())) {
                    for (var entry : jar.stream().filter(e -> e.getName().startsWith("META-INF/")
                            || e.getName().endsWith(".properties")).filter(e -> !e.isDirectory()).toList()) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                                    .as(name + "!/" + entry.getName()).doesNotContainIgnoringCase("snapshot");
                        }
                    }
                }
            }
        }
        for (String module : MODULES) {
            assertThat(Files.readString(artifact("score4j-" + module, ".pom"))).as(module)
                    .contains("<parent><groupId>org.score4j</groupId><artifactId>score4j-parent</artifactId><version>"
                            + VERSION + "</version></parent>")
                    .contains("<name>").contains("<description>");
        }
        try (JarFile core = new JarFile(artifact("score4j-core", ".jar").toFile());
                InputStream in = core.getInputStream(core.getEntry("score4j-version.properties"))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("score4j.version=" + VERSION);
        }
    }

    /** The poms name and describe themselves; what Central needs beyond that and the project lacks, the script says. */
    @Test
    void theParentPomCarriesItsNameAndDescription() throws Exception {
        String parent = Files.readString(artifact("score4j-parent", ".pom"));
        assertThat(parent).contains("<version>" + VERSION + "</version>").contains("<name>").contains("<description>");
    }

    @Test
    void theExamplePluginBuildsAndPassesItsTestsAgainstTheRelease() throws Exception {
        Path project = dir.resolve("plugin-example");
        copyProject(ROOT.resolve("examples/plugin-example"), project);
        Path local = dir.resolve("consumer-m2");
        String out = consumer(project, local, "-Dscore4j.version=" + VERSION, "package");
        assertThat(out).contains("Tests run:").doesNotContain("Tests run: 0,").contains("BUILD SUCCESS");
        assertThat(project.resolve("target/score4j-plugin-example-1.0.0.jar")).isNotEmptyFile();
        assertResolvedFromTheRelease(local, "score4j-api", "score4j-testkit");
    }

    /** A program depending on score4j-core 2.0.0 gets the built-in plugins (runtime dependencies) at 2.0.0. */
    @Test
    void aProgramDependingOnTheCoreFindsTheBuiltInPlugins() throws Exception {
        Path project = dir.resolve("library-user");
        Files.createDirectories(project.resolve("src/test/java/com/example"));
        Files.writeString(project.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId><artifactId>score4j-library-user</artifactId><version>1.0.0</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                    <dependency><groupId>org.score4j</groupId><artifactId>score4j-core</artifactId><version>%s</version></dependency>
                    <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><version>%s</version><scope>test</scope></dependency>
                  </dependencies>
                  <build><plugins>
                    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
                    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.5.2</version></plugin>
                  </plugins></build>
                </project>
                """.formatted(VERSION, System.getProperty("score4j.test.junit.version", "5.11.3")));
        Files.writeString(project.resolve("src/test/java/com/example/LibraryTest.java"), """
                package com.example;

                import static org.junit.jupiter.api.Assertions.assertThrows;
                import static org.junit.jupiter.api.Assertions.assertTrue;

                import org.junit.jupiter.api.Test;
                import org.score4j.core.lib.Score4j;
                import org.score4j.core.UserError;

                class LibraryTest {
                    @Test
                    void theBuiltInPluginsAreFoundByName() {
                        String rendered = Score4j.run().objective("ssm-vr").sampler("edm").resolve().rendered();
                        assertTrue(rendered.contains("ssm-vr") && rendered.contains("edm"), rendered);
                        UserError e = assertThrows(UserError.class, () -> Score4j.run().sampler("anealed-langevin").resolve());
                        assertTrue(e.getMessage().contains("did you mean 'annealed-langevin'"), e.getMessage());
                    }
                }
                """);
        Path local = dir.resolve("consumer-m2");
        String out = consumer(project, local, "test");
        assertThat(out).contains("Tests run: 1, Failures: 0, Errors: 0").contains("BUILD SUCCESS");
        assertResolvedFromTheRelease(local, MODULES.stream().filter(m -> !m.equals("testkit"))
                .map(m -> "score4j-" + m).toArray(String[]::new));
    }

    @Test
    void aSnapshotAMalformedVersionAndAVersionOfAnotherApiAreRefused() throws Exception {
        assertRefused(List.of("2.0.0-SNAPSHOT"), "is a snapshot version");
        assertRefused(List.of("2.0"), "is not a release version: expected MAJOR.MINOR.PATCH");
        assertRefused(List.of("v2.0.0"), "is not a release version");
        assertRefused(List.of("3.0.0"), "provides plugin API 2.0 (Score4jPlugin.API_VERSION), so its release versions "
                + "are 2.0.x");
        assertRefused(List.of(VERSION, repository.toString(), "--working-tree"), "already holds score4j " + VERSION);
    }

    private static void assertRefused(List<String> arguments, String message) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "./release"));
        command.addAll(arguments);
        Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isNotZero();
        assertThat(out).contains(message).doesNotContain("BUILD");
    }

    private static Path artifact(String artifactId, String suffix) {
        return repository.resolve("org/score4j/" + artifactId + "/" + VERSION + "/" + artifactId + "-" + VERSION + suffix);
    }

    private static void assertChecksums(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        for (String algorithm : List.of("SHA-1", "MD5")) {
            Path sum = file.resolveSibling(file.getFileName() + "." + algorithm.replace("-", "").toLowerCase());
            assertThat(sum).as(sum.getFileName().toString()).isRegularFile();
            assertThat(Files.readString(sum).trim()).as(sum.getFileName().toString())
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes)));
        }
    }

    /** Each org.score4j artifact the consumer's build used came from the release repository, at the release version. */
    private static void assertResolvedFromTheRelease(Path local, String... artifactIds) throws IOException {
        for (String artifactId : artifactIds) {
            Path versions = local.resolve("org/score4j/" + artifactId);
            try (Stream<Path> list = Files.list(versions)) {
                assertThat(list.map(p -> p.getFileName().toString())).as(artifactId).containsExactly(VERSION);
            }
            assertThat(Files.readString(versions.resolve(VERSION + "/_remote.repositories"))).as(artifactId)
                    .contains(artifactId + "-" + VERSION + ".jar>score4j-release=");
        }
    }

    /**
     * Runs Maven on a consumer project with a local repository of the test's own (the consumers share it): org.score4j
     * comes from the release repository (checksums enforced), everything else from this build's local repository
     * mirrored as a file repository.
     */
    private static String consumer(Path project, Path local, String... goals) throws Exception {
        Path settings = project.resolveSibling(project.getFileName() + "-settings.xml");
        Files.writeString(settings, """
                <settings>
                  <localRepository>%s</localRepository>
                  <mirrors>
                    <mirror><id>build-cache</id><mirrorOf>*,!score4j-release</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                  <profiles>
                    <profile>
                      <id>score4j-release</id>
                      <repositories>
                        <repository><id>score4j-release</id><url>%s</url>
                          <releases><checksumPolicy>fail</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots></repository>
                        <!-- A local repository keeps no checksums to check. -->
                        <repository><id>central</id><url>https://repo.maven.apache.org/maven2</url>
                          <releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots></repository>
                      </repositories>
                      <pluginRepositories>
                        <pluginRepository><id>central</id><url>https://repo.maven.apache.org/maven2</url>
                          <releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots></pluginRepository>
                      </pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>score4j-release</activeProfile></activeProfiles>
                </settings>
                """.formatted(xml(local.toString()), xml(outerLocalRepository().toUri().toString()),
                xml(repository.toUri().toString())));
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-ntp", "-s", settings.toString()));
        command.addAll(List.of(goals));
        return run(project, project.resolveSibling(project.getFileName() + ".log"), 15, command);
    }

    /** The local repository of the build running this test (runner's pom passes it). */
    private static List<String> outerMavenSettings() {
        return List.of("-Dmaven.repo.local=" + outerLocalRepository());
    }

    private static Path outerLocalRepository() {
        String local = System.getProperty("score4j.test.maven.repository", "");
        return !local.isBlank() && !local.contains("${") ? Path.of(local)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void copyProject(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.filter(p -> !from.relativize(p).startsWith("target")).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    /** Runs a command, its output into {@code log}; fails with the output's end unless it exits with 0 in time. */
    private static String run(Path directory, Path log, long minutes, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process p = pb.start();
        boolean done = p.waitFor(minutes, TimeUnit.MINUTES);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        String tail = out.lines().skip(Math.max(0, out.lines().count() - 150)).collect(Collectors.joining("\n"));
        assertThat(done).as("%s finished within %d minutes:%n%s", command, minutes, tail).isTrue();
        assertThat(p.exitValue()).as("%s:%n%s", command, tail).isZero();
        return out;
    }
}
