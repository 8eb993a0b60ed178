package org.score4j.runner.cli;

import java.util.Properties;
import java.util.concurrent.Callable;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.runner.output.Provenance;
import picocli.CommandLine.Command;

@Command(name = "info", description = "Show versions, the ND4J backend, device and threads.")
public final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        Properties v = Provenance.versions();
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        System.out.println("score4j        " + v.getProperty("score4j.version", "unknown"));
        System.out.println("deeplearning4j " + v.getProperty("dl4j.version", "unknown") + " (" + v.getProperty("nd4j.backend", "?") + ")");
        System.out.println("backend        " + Nd4j.getBackend().getClass().getSimpleName() + " / "
                + env.getProperty("backend", "?") + " (libnd4j build " + Provenance.nativeBuild() + ")");
        System.out.println("device         " + (env.containsKey("cuda.devicesInformation")
                ? env.get("cuda.devicesInformation") : "CPU (" + env.getProperty("cores", "?") + " cores, BLAS "
                + env.getProperty("blas.vendor", "?") + ")"));
        System.out.println("threads        " + env.getProperty("omp.threads", "?") + " (OMP_NUM_THREADS "
                + System.getenv().getOrDefault("OMP_NUM_THREADS", "unset") + ")");
        System.out.println("java           " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        System.out.println("memory         heap max " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB, off-heap max "
                + org.bytedeco.javacpp.Pointer.maxBytes() / (1 << 20) + " MiB");
        return 0;
    }
}
