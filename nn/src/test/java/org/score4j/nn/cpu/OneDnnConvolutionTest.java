package org.score4j.nn.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.score4j.nn.Planes;

class OneDnnConvolutionTest {
    /**
     * A U-Net's convolution shapes run on oneDNN's JIT kernels, not its slow reference code; in blocks of 16
     * channels, 3×3 kernels of stride 1 run Winograd's.
     */
    @ParameterizedTest(name = "{0} → {2} channels (in blocks: {1}, {3}), {4}×{4}, {5}×{5} kernel, stride {6}")
    @CsvSource({"1, false, 32, false, 28, 3, 1", "32, false, 32, false, 28, 3, 1", "32, false, 64, false, 14, 3, 2",
            "64, false, 64, false, 7, 3, 1", "128, false, 64, false, 14, 1, 1", "64, false, 32, false, 28, 3, 1",
            "32, false, 1, false, 28, 3, 1", "3, false, 8, false, 5, 3, 1",
            "1, false, 32, true, 28, 3, 1", "32, true, 32, true, 28, 3, 1", "32, true, 64, true, 14, 3, 2",
            "64, true, 64, true, 7, 3, 1", "128, true, 64, true, 14, 1, 1", "128, true, 64, true, 7, 3, 1",
            "32, true, 1, false, 28, 3, 1", "16, true, 3, false, 8, 3, 1", "16, true, 16, true, 8, 3, 1"})
    void runsOnJitKernels(int in, boolean inBlocked, int out, boolean outBlocked, int size, int k, int stride) {
        assumeTrue(OneDnn.available(), "oneDNN's natives");
        Planes.Geometry input = new Planes.Geometry(size, size);
        Planes.Geometry output = new Planes.Geometry(size / stride, size / stride);
        String implementation = new OneDnnConvolution(new org.bytedeco.dnnl.stream(OneDnn.engine()), 64, in, inBlocked,
                out, outBlocked, k, stride, input, output).implementation();
        assertThat(implementation.split(" / ")).hasSize(3).noneMatch(i -> i.startsWith("ref"));
        if (inBlocked && outBlocked && k == 3 && stride == 1 && in >= 32) {
            assertThat(implementation.split(" / ")).allMatch(i -> i.contains("wino"));
        }
    }
}
