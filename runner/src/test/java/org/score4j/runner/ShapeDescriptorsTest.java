package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.api.tensors.ShapeInfoCache;

/** The command makes ND4J keep its shape descriptors, in a process of its own started without the setting. */
class ShapeDescriptorsTest {
    @TempDir
    Path dir;

    @Test
    void theCommandInstallsTheCacheBeforeNd4jStarts() throws Exception {
        var info = Score4jProcess.run(dir, "info");
        assertThat(info.exitCode()).isZero();
        assertThat(info.out()).contains("shapes         ND4J's shape descriptors kept per shape ("
                + ShapeInfoCache.class.getName() + ")");
    }

    @Test
    void aProviderThatDoesNotLoadIsAUsageError() {
        String before = System.getProperty(ShapeInfoCache.PROPERTY);
        try {
            System.setProperty(ShapeInfoCache.PROPERTY, "nope.Nope");
            var run = Score4jProcess.inProcess("info");
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("score4j: -Dshapeinfoprovider=nope.Nope names no class on the class path")
                    .contains("org.nd4j.linalg.cpu.nativecpu.DirectShapeInfoProvider").doesNotContain("\tat ");
            System.setProperty(ShapeInfoCache.PROPERTY, "java.lang.String");
            assertThat(Score4jProcess.inProcess("info").err())
                    .contains("-Dshapeinfoprovider=java.lang.String is not an ND4J shape-descriptor provider");
        } finally {
            if (before == null) {
                System.clearProperty(ShapeInfoCache.PROPERTY);
            } else {
                System.setProperty(ShapeInfoCache.PROPERTY, before);
            }
        }
    }
}
