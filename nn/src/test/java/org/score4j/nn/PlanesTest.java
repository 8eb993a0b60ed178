package org.score4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Maps come zeroed, and cost resident memory only where they are written. */
class PlanesTest {
    private static final Path STATUS = Path.of("/proc/self/status");

    @Test
    void freshMapsAreZeroedAndHoldWhatIsWritten() {
        Planes maps = Planes.allocate(32, true, 3, new Planes.Geometry(5, 7));
        try {
            FloatBuffer values = maps.floats();
            assertThat(values.capacity()).isEqualTo(32 * 3 * 5 * 7);
            for (int i = 0; i < values.capacity(); i++) {
                assertThat(values.get(i)).isZero();
            }
            values.put(values.capacity() - 1, 2.5f);
            assertThat(maps.floats().get(values.capacity() - 1)).isEqualTo(2.5f);
        } finally {
            maps.release();
        }
    }

    @Test
    void mapsThatAreNeverWrittenTakeNoResidentMemory() throws IOException {
        assumeTrue(Files.isReadable(STATUS), "needs Linux's /proc");
        Planes.Geometry geometry = new Planes.Geometry(64, 64);
        int batch = 256;
        int channels = 32; // 128 MiB of floats
        long before = residentKiB();
        Planes untouched = Planes.allocate(channels, true, batch, geometry);
        long allocated = residentKiB();
        Planes written = Planes.allocate(channels, true, batch, geometry);
        try {
            FloatBuffer values = written.floats();
            for (int i = 0; i < values.capacity(); i += 1024) {
                values.put(i, 1f);
            }
            long afterWriting = residentKiB();
            assertThat(allocated - before).as("KiB resident after allocating 128 MiB of maps").isLessThan(32 * 1024);
            assertThat(afterWriting - allocated).as("KiB resident after writing 128 MiB of maps")
                    .isGreaterThan(100 * 1024);
        } finally {
            untouched.release();
            written.release();
        }
    }

    private static long residentKiB() throws IOException {
        for (String line : Files.readAllLines(STATUS)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in " + STATUS);
    }
}
