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
}
