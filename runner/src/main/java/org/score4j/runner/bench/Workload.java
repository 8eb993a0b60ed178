package org.score4j.runner.bench;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.score4j.core.UserError;

/**
 * One benchmark workload: a run configuration (overrides of the defaults, resolved through the plugins like any
 * run) and what is timed with it.
 *
 * @param name           the short name given to {@code score4j bench --workloads}
 * @param description    what it measures
 * @param task           a training step or a whole sampling run
 * @param config         HOCON overrides of the default run
 * @param stepsPerRepeat training steps per timed repeat (sampling: whole sampling runs per repeat)
 * @param warmup         the least training steps (sampling: whole runs) of the warm-up ({@link WarmUp})
 * @param target         the ratio score4j / PyTorch this workload is asked to reach (issue 30)
 */
public record Workload(String name, String description, Task task, String config, int stepsPerRepeat, int warmup,
                       double target) {

    /** What is timed. */
    public enum Task {
        /** {@code TrainingStep}s: examples per second. */
        TRAIN,
        /** {@code ChainSampling} runs: score evaluations (one chain, one step) per second. */
        SAMPLE
    }

    public Workload {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(config, "config");
        if (stepsPerRepeat < 1 || warmup < 0 || !(target > 0)) {
            throw new IllegalArgumentException("need steps >= 1, warm-up >= 0 and a positive target");
        }
    }

    /** The ratio asked of MLP training. */
    static final double TRAINING_TARGET = 2.0;
    /** The ratio asked of every other workload. */
    static final double TARGET = 1.5;

    private static final String UNET = """
            data.name = digits
            model.name = ncsn-unet
            schedule { sigma-max = 15, sigma-min = 0.01, levels = 10 }
            sampler { steps-per-level = 2, step-size = 1.5e-5 }
            sample { count = 64, batch-size = 64, low = 0, high = 1 }
            """;

    private static final String CHAINS = "sample { count = 10000, batch-size = 10000 }\n";

    /**
     * The sampler steps the MLP sampling workloads warm up for, at the least: a step makes about ten small ND4J calls
     * besides the network, and the 10 000-chain runs reached their steady rate only after several hundred steps
     * (docs/speed.md, "Warm-up"). Their warm-up counts whole runs, so each workload's count is this over its
     * evaluations per run, rounded up (BenchTest checks it).
     */
    public static final int MLP_SAMPLING_WARMUP_STEPS = 1000;

    /** The standard workloads, in the order they run. */
    public static List<Workload> standard() {
        return List.of(
                new Workload("mlp-train-256", "DSM training step, 2-D NCSN MLP (default run), batch 256", Task.TRAIN,
                        "train.batch-size = 256", 100, 30, TRAINING_TARGET),
                new Workload("mlp-train-4096", "DSM training step, 2-D NCSN MLP, batch 4096", Task.TRAIN,
                        "train.batch-size = 4096", 10, 5, TRAINING_TARGET),
                new Workload("mlp-sample-10k", "annealed Langevin, 10 000 chains, 10 levels × 10 steps + Tweedie, MLP",
                        Task.SAMPLE, CHAINS + "sampler.steps-per-level = 10", 1, 10, TARGET),
                new Workload("edm-sample-10k", "EDM stochastic Heun (S_churn = 5), 10 000 chains, Karras grid of 18 "
                        + "levels + 0 (35 evaluations), MLP", Task.SAMPLE, CHAINS
                        + "sample.schedule { name = karras, sigma-max = 20, sigma-min = 0.5, levels = 18 }\n"
                        + "sampler { name = edm, s-churn = 5 }", 3, 29, TARGET),
                new Workload("pflow-sample-10k", "probability-flow ODE, Heun, 10 000 chains, the 10 training levels + 0 "
                        + "(19 evaluations), MLP", Task.SAMPLE, CHAINS + "sampler { name = probability-flow, solver = heun }",
                        5, 53, TARGET),
                new Workload("unet-train-64", "DSM training step, ncsn-unet on 1×28×28 digits, batch 64", Task.TRAIN,
                        UNET + "train.batch-size = 64", 4, 2, TARGET),
                new Workload("unet-sample-64", "annealed Langevin, 64 images 1×28×28, 10 levels × 2 steps + Tweedie, "
                        + "ncsn-unet", Task.SAMPLE, UNET, 1, 1,
                        TARGET));
    }

    /** The standard workloads with these names, in the standard order; an unknown name lists the known ones. */
    public static List<Workload> named(List<String> names) {
        List<Workload> all = standard();
        for (String n : names) {
            if (all.stream().noneMatch(w -> w.name().equals(n))) {
                throw new UserError("unknown workload '" + n + "'; known: "
                        + all.stream().map(Workload::name).collect(Collectors.joining(", ")));
            }
        }
        return names.isEmpty() ? all : all.stream().filter(w -> names.contains(w.name())).toList();
    }
}
