package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up check of the CUDA build against the GPUs' compute capability. */
class CudaDevicesTest {
    private static final String LISTING = """
            0, GPU-5b1f2c3d-aaaa-bbbb-cccc-000000000001, NVIDIA H100 80GB HBM3, 9.0
            1, GPU-5b1f2c3d-aaaa-bbbb-cccc-000000000002, NVIDIA A100-SXM4-40GB, 8.0
            2, GPU-5b1f2c3d-aaaa-bbbb-cccc-000000000003, NVIDIA GeForce RTX 4090, 8.9
            """;

    @TempDir
    Path dir;

    @Test
    void readsTheListingAndJudgesEachCapability() {
        List<CudaDevices.Gpu> gpus = CudaDevices.parse(LISTING + "Field \"compute_cap\" is not a valid field to query.\n");
        assertThat(gpus).extracting(CudaDevices.Gpu::name)
                .containsExactly("NVIDIA H100 80GB HBM3", "NVIDIA A100-SXM4-40GB", "NVIDIA GeForce RTX 4090");
        assertThat(gpus).extracting(CudaDevices.Gpu::supported).containsExactly(false, true, true);
        assertThat(CudaDevices.parse("0, GPU-1, Tesla K80, 3.7\n1, GPU-2, Tesla K20, 3.5").stream()
                .map(CudaDevices.Gpu::supported)).containsExactly(true, false);
        assertThat(CudaDevices.parse("0, GPU-1, NVIDIA B200, 10.0").get(0).supported()).isFalse();
    }

    @Test
    void namesTheUnsupportedGpuAndTheWayOut() {
        List<CudaDevices.Gpu> gpus = CudaDevices.parse(LISTING);
        assertThat(CudaDevices.unsupported(gpus, null)).hasValueSatisfying(m -> assertThat(m)
                .contains("GPU 0 (NVIDIA H100 80GB HBM3) has compute capability 9.0")
                .contains("compute capability 3.7 to 8.x only").contains("without -Pcuda")
                .contains("CUDA_VISIBLE_DEVICES=1,2"));
        assertThat(CudaDevices.unsupported(gpus, "1")).isEmpty();
        assertThat(CudaDevices.unsupported(gpus, "GPU-5b1f2c3d-aaaa-bbbb-cccc-000000000003")).isEmpty();
        assertThat(CudaDevices.unsupported(gpus, "2,0")).isPresent();
        assertThat(CudaDevices.unsupported(CudaDevices.parse("0, GPU-1, NVIDIA H200, 9.0"), null))
                .hasValueSatisfying(m -> assertThat(m).doesNotContain("CUDA_VISIBLE_DEVICES"));
        assertThat(CudaDevices.unsupported(List.of(), null)).isEmpty();
    }

    @Test
    void aCudaBuildOnAHopperGpuStopsWithTheCapabilityNamed() throws Exception {
        // A stand-in nvidia-smi that lists one H100, and a class path that carries the CUDA backend's class name.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\necho '0, GPU-5b1f2c3d-0, NVIDIA H100 80GB HBM3, 9.0'\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path classes = dir.resolve("cuda-backend");
        Files.createDirectories(classes.resolve("org/nd4j/linalg/jcublas"));
        Files.write(classes.resolve("org/nd4j/linalg/jcublas/JCublasBackend.class"), new byte[0]);
        Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"));
        var run = Score4jProcess.run(dir, env, classes.toString(), "run", "--set", "train.steps=2");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("score4j: this is the CUDA build of score4j")
                .contains("GPU 0 (NVIDIA H100 80GB HBM3) has compute capability 9.0").doesNotContain("\tat ");
        assertThat(dir.resolve("runs")).doesNotExist();
        var info = Score4jProcess.run(dir, env, classes.toString(), "info");
        assertThat(info.exitCode()).isEqualTo(2);
        assertThat(info.out()).contains("gpu 0          NVIDIA H100 80GB HBM3, compute capability 9.0 (DL4J 1.0.0-M2.1's "
                + "CUDA build cannot run on it: it needs 3.7 to 8.x)").contains("backend        cannot start:");
        // The CPU build lists the GPU and runs.
        var cpu = Score4jProcess.run(dir, env, "", "info");
        assertThat(cpu.exitCode()).isZero();
        assertThat(cpu.out()).contains("compute capability 9.0").contains("libnd4j build linux-x86_64");
    }
}
