package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scripts in examples/scripts run with score4j's class path and print their study's table. */
class ScriptsTest {
    private static final Path SCRIPTS = Path.of("..", "examples", "scripts").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void theSingleFileJavaProgramRunsItsStudy() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String out = run(List.of(java, "--add-modules=jdk.incubator.vector", "-Dsteps=150", "-Dout=" + dir.resolve("java"),
                "-cp", Score4jProcess.classPath(), SCRIPTS.resolve("RingsStudy.java").toString()));
        assertTable(out, dir.resolve("java"));
    }

    @Test
    void theJShellScriptRunsItsStudy() throws Exception {
        String jshell = Path.of(System.getProperty("java.home"), "bin", "jshell").toString();
        String out = run(List.of(jshell, "--class-path", Score4jProcess.classPath(), "-R-Dsteps=150",
                "-R-Dout=" + dir.resolve("jshell"), SCRIPTS.resolve("rings-study.jsh").toString()));
        assertTable(out, dir.resolve("jshell"));
    }

    private static void assertTable(String out, Path study) {
        assertThat(out).contains("| `dsm` | `annealed-langevin` |").contains("| `ssm-vr` | `edm` |")
                .contains("sliced W2").contains("figure: " + study.resolve("metric.png"));
        assertThat(study.resolve("metric.png")).isNotEmptyFile();
        assertThat(study.resolve("summary.md")).isNotEmptyFile();
    }

    private String run(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "2");
        Process p = pb.start();
        byte[] bytes = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        String out = new String(bytes);
        assertThat(p.exitValue()).as(out).isZero();
        Files.writeString(dir.resolve("output.txt"), out);
        return out;
    }
}
