package org.score4j.core.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.score4j.api.Dataset;
import org.score4j.api.Objective;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.spi.ConfigProblem;
import org.score4j.api.spi.ModelBlueprint;
import org.score4j.api.spi.ModelFootprint;
import org.score4j.api.spi.ModelSpec;

/**
 * An estimate of the memory a run will need, made from its configuration before anything large is allocated: the
 * model's parameters with the runner's training state, the activations of a training batch, sampling batches and the
 * evaluation's data. A run whose estimate is over the {@link MemoryBudget} is refused, naming the setting that costs
 * the most. Estimates err on the high side: they count every copy the runner keeps.
 */
final class MemoryPlan {
    /** Copies of the parameters a training run keeps: the model's, θ, the gradient, the moving average, two optimizer
     *  states, a checkpoint's copy, and room for a model's own layouts. */
    private static final double PARAMETER_COPIES = 8;
    private static final double FLOAT = 4;
    private static final double DOUBLE = 8;

    /** One part of the estimate. */
    record Part(String key, String what, double bytes) {
    }

    private final List<Part> parts = new ArrayList<>();

    /** The parts of a run's estimate (its components already created). */
    static MemoryPlan of(Dataset data, ModelBlueprint model, Objective objective, TrainSettings train,
                         SampleSettings sample, EvalSettings eval, int classes) {
        MemoryPlan plan = new MemoryPlan();
        long[] shape = data.exampleShape();
        double d = 1;
        for (long s : shape) {
            d *= s;
        }
        ModelFootprint footprint = model.footprint(new ModelSpec(shape, 1, 0, classes));
        double rows = rowsPerExample(objective, data);
        if (train != null) {
            plan.add("model", String.format(Locale.ROOT, "%.3g parameters with their training state",
                    footprint.parameters()), footprint.parameters() * FLOAT * PARAMETER_COPIES);
            plan.add("train.batch-size", String.format(Locale.ROOT, "the activations of %d examples × %.3g evaluations "
                    + "each", train.batchSize(), rows), train.batchSize() * rows * (footprint.activationsPerExample() * FLOAT * 2
                    + d * DOUBLE * 6));
        }
        if (sample != null) {
            double batch = Math.min(sample.batchSize(), sample.count());
            plan.add("sample.batch-size", "sampling " + (long) batch + " chains at a time",
                    batch * (footprint.activationsPerExample() * FLOAT * 2 + d * FLOAT * 12));
            plan.add("sample.count", "keeping " + sample.count() + " samples", sample.count() * d * (FLOAT + DOUBLE * 3));
        }
        if (eval != null) {
            plan.add("eval.reference-samples", "comparing with " + eval.referenceSamples() + " data points",
                    eval.referenceSamples() * d * DOUBLE * 4);
            plan.add("eval.fisher-samples", "scoring " + eval.fisherSamples() + " points per level",
                    eval.fisherSamples() * d * DOUBLE * 6);
        }
        return plan;
    }

    /** How many rows the objective evaluates per example (e.g. 2K for sliced score matching), from a batch of two. */
    private static double rowsPerExample(Objective objective, Dataset data) {
        try {
            Objective.Batch b = objective.prepare(data.sample(2, new SeededRandom(0)),
                    org.score4j.api.NoiseSchedule.of(1), new SeededRandom(1));
            return Math.max(1, b.inputs().size(0) / 2.0);
        } catch (RuntimeException e) {
            return 1;
        }
    }

    private void add(String key, String what, double bytes) {
        parts.add(new Part(key, what, bytes));
    }

    /** The whole estimate in bytes. */
    double total() {
        return parts.stream().mapToDouble(Part::bytes).sum();
    }

    /** The problem to report when the estimate is over {@code budget}, naming the costliest part's key; else none. */
    List<ConfigProblem> problems(long budget) {
        double total = total();
        if (!(total > budget) && Double.isFinite(total)) {
            return List.of();
        }
        Part worst = parts.stream().max(Comparator.comparingDouble(Part::bytes)).orElseThrow();
        String advice = worst.key().equals("model") ? "choose a smaller model (its widths, layers or channels)"
                : "lower " + worst.key();
        return List.of(new ConfigProblem(worst.key(), "the run would need about " + MemoryBudget.describe(total)
                + ", over the memory budget of " + MemoryBudget.describe(budget) + "; the largest part is "
                + worst.what() + " (" + MemoryBudget.describe(worst.bytes()) + "). " + capitalised(advice)
                + ", or raise the budget with " + MemoryBudget.VARIABLE + " if the machine has the memory."));
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
