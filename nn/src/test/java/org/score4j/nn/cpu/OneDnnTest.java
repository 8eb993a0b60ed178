package org.score4j.nn.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

class OneDnnTest {
    /** The work sees one OpenMP thread on its own thread, and the count comes back afterwards, even after a failure. */
    @Test
    void runsWorkOnOneThreadAndRestoresTheCount() {
        org.nd4j.linalg.factory.Nd4j.getBackend();
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int before = ops.ompGetMaxThreads();
        assertThat(before).as("surefire runs with OMP_NUM_THREADS=2").isEqualTo(2);
        assertThat(OneDnn.onOneThread(ops::ompGetMaxThreads)).isEqualTo(1);
        assertThat(ops.ompGetMaxThreads()).isEqualTo(before);
        assertThatThrownBy(() -> OneDnn.onOneThread(() -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(ops.ompGetMaxThreads()).isEqualTo(before);
    }
}
