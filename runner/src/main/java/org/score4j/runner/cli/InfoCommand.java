package org.score4j.runner.cli;

import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.ShapeInfoProvider;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.tensors.ShapeInfoCache;
import org.score4j.runner.CudaDevices;
import org.score4j.core.UserError;
import org.score4j.core.output.Provenance;
import picocli.CommandLine.Command;

@Command(name = "info", description = "Show versions, the ND4J backend, device and threads.")
public final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        Properties v = Provenance.versions();
        System.out.println("score4j        " + v.getProperty("score4j.version", "unknown"));
        System.out.println("deeplearning4j " + v.getProperty("dl4j.version", "unknown") + " (" + v.getProperty("nd4j.backend", "?") + ")");
        List<CudaDevices.Gpu> gpus = CudaDevices.query();
        for (CudaDevices.Gpu g : gpus) {
            System.out.println("gpu " + g.index() + "          " + g.name() + ", compute capability " + g.major() + "."
                    + g.minor() + (CudaDevices.unsupported(List.of(g), null).isEmpty() ? " (the CUDA build runs on it)"
                    : " (DL4J 1.0.0-M2.1's CUDA build cannot run on it: it needs 3.7 to 8.x)"));
        }
        if (CudaDevices.cudaBackend()) {
            Optional<String> problem = CudaDevices.unsupported(gpus, System.getenv("CUDA_VISIBLE_DEVICES"))
                    .or(() -> CudaDevices.startProblem(gpus));
            if (problem.isPresent()) {
                System.out.println("backend        cannot start: " + problem.get());
                return UserError.USAGE;
            }
        }
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        System.out.println("backend        " + Nd4j.getBackend().getClass().getSimpleName() + " / "
                + env.getProperty("backend", "?") + " (libnd4j build " + Provenance.nativeBuild() + ")");
        System.out.println("device         " + (env.containsKey("cuda.devicesInformation")
                ? env.get("cuda.devicesInformation") : "CPU (" + Runtime.getRuntime().availableProcessors() + " cores, BLAS "
                + env.getProperty("blas.vendor", "?") + ")"));
        System.out.println("threads        " + Nd4j.getEnvironment().maxThreads() + " (OMP_NUM_THREADS "
                + System.getenv().getOrDefault("OMP_NUM_THREADS", "unset") + ")");
        System.out.println("java           " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        System.out.println("vector API     " + (Provenance.vectorApi()
                ? "on: on the CPU backend ncsn-mlp and ncsn-unet run on oneDNN " + Provenance.oneDnn()
                        + " (products, convolutions) and fused passes on the JVM"
                : "off: ncsn-mlp's optimizer step uses ND4J operations and ncsn-unet its SameDiff graph (slower); the launcher adds"
                        + " --add-modules=jdk.incubator.vector"));
        System.out.println("shapes         " + shapes(Nd4j.getShapeInfoProvider()));
        System.out.println("memory         heap max " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB, off-heap max "
                + org.bytedeco.javacpp.Pointer.maxBytes() / (1 << 20) + " MiB");
        System.out.println("memory budget  " + org.score4j.core.config.MemoryBudget.describe(
                org.score4j.core.config.MemoryBudget.bytes()) + " (what configurations and files are checked against before "
                + "allocating; " + org.score4j.core.config.MemoryBudget.VARIABLE + " sets it)");
        System.out.println("engine local   this process (--engine local, the default)");
        org.score4j.core.engine.Engines.available().forEach((name, p) ->
                System.out.println(String.format("engine %-7s ", name) + p.description()));
        return 0;
    }

    private static String shapes(ShapeInfoProvider provider) {
        if (provider instanceof ShapeInfoCache cache) {
            return cache.caching() ? "ND4J's shape descriptors kept per shape (" + ShapeInfoCache.class.getName() + ")"
                    : "ND4J's shape descriptors made by " + cache.backendProvider() + " (not kept on this backend)";
        }
        return "ND4J's shape descriptors made by " + provider.getClass().getName();
    }
}
