package org.score4j.core.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.score4j.api.NonFiniteException;
import org.score4j.api.Optimizer;
import org.score4j.api.LearningRateSchedule;
import org.score4j.nn.cpu.FusedKernels;

/**
 * Everything training changes, kept by the runner for every model alike as flat FLOAT vectors {@code [P]}: the
 * parameters θ, the optimizer's state vectors, the moving average θ̄ (when the run keeps one), and the number of steps
 * taken. {@link #apply} is one optimizer step: the norm of the mean gradient, clipping, the optimizer and the average,
 * with the mean and the clipping folded into the optimizer's fused pass.
 */
public final class TrainingState {
    private final INDArray parameters;
    private final List<String> stateNames;
    private final List<INDArray> optimizerState;
    private final INDArray average;
    private long steps;

    private TrainingState(INDArray parameters, List<String> stateNames, List<INDArray> optimizerState, INDArray average,
                          long steps) {
        this.parameters = parameters;
        this.stateNames = List.copyOf(stateNames);
        this.optimizerState = List.copyOf(optimizerState);
        this.average = average;
        this.steps = steps;
    }

    /** A fresh state: θ = {@code initial} (copied), zero optimizer state, θ̄ = θ when {@code average}. */
    public static TrainingState fresh(INDArray initial, Optimizer optimizer, boolean average) {
        INDArray theta = flat(initial).dup();
        List<INDArray> state = new ArrayList<>();
        for (String ignored : optimizer.stateNames()) {
            state.add(Nd4j.zeros(DataType.FLOAT, theta.length()));
        }
        return new TrainingState(theta, optimizer.stateNames(), state, average ? theta.dup() : null, 0);
    }

    /**
     * A state restored from its parts (a checkpoint's tensors).
     *
     * @throws IllegalArgumentException if the vectors do not all have the parameters' length
     */
    public static TrainingState of(INDArray parameters, List<String> stateNames, List<INDArray> optimizerState,
                                   INDArray average, long steps) {
        long p = parameters.length();
        if (stateNames.size() != optimizerState.size()) {
            throw new IllegalArgumentException(stateNames.size() + " state names for " + optimizerState.size() + " vectors");
        }
        for (INDArray a : optimizerState) {
            if (a.length() != p) {
                throw new IllegalArgumentException("an optimizer state vector has " + a.length() + " values for " + p
                        + " parameters");
            }
        }
        if (average != null && average.length() != p) {
            throw new IllegalArgumentException("the moving average has " + average.length() + " values for " + p
                    + " parameters");
        }
        return new TrainingState(flat(parameters).dup(), stateNames,
                optimizerState.stream().map(a -> flat(a).dup()).toList(), average == null ? null : flat(average).dup(),
                steps);
    }

    private static INDArray flat(INDArray a) {
        INDArray f = a.castTo(DataType.FLOAT);
        return f.reshape(new long[] {f.length()});
    }

    /** θ, the live vector (callers copy it into a model with {@code setParameters}). */
    public INDArray parameters() {
        return parameters;
    }

    /** θ̄ when the run keeps a moving average, else θ: the parameters samples and metrics use. */
    public INDArray scoring() {
        return average != null ? average : parameters;
    }

    /** The moving average, or null. */
    public INDArray average() {
        return average;
    }

    /** The optimizer's state vectors, named by {@link #stateNames()}. */
    public List<INDArray> optimizerState() {
        return optimizerState;
    }

    public List<String> stateNames() {
        return stateNames;
    }

    /** Optimizer steps taken. */
    public long steps() {
        return steps;
    }

    /** The number of parameters P. */
    public long size() {
        return parameters.length();
    }

    /**
     * One optimizer step from the gradient of the <em>summed</em> loss over {@code examples} examples.
     *
     * @param clipNorm the largest norm of the mean gradient applied (0: no clipping)
     * @param emaRate  the moving average's decay (ignored without an average)
     * @return the norm of the mean gradient before clipping
     * @throws NonFiniteException if that norm is not finite; nothing is changed then
     */
    public double apply(INDArray summedGradient, int examples, Optimizer optimizer, LearningRateSchedule schedule,
                        long totalSteps, double clipNorm, double emaRate) {
        double norm = FusedKernels.norm(summedGradient) / examples;
        if (!Double.isFinite(norm)) {
            throw new NonFiniteException("the parameter gradient is " + norm);
        }
        double scale = (clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1) / examples;
        long step = steps + 1;
        double rate = optimizer.learningRate() * schedule.factor(step, totalSteps);
        optimizer.step(parameters, summedGradient, scale, optimizerState, step, rate);
        steps = step;
        if (average != null) {
            FusedKernels.movingAverage(average, parameters, Math.min(emaRate, (1.0 + step) / (10.0 + step)));
        }
        return norm;
    }

    /**
     * The whole state as one flat vector: θ, the optimizer's vectors, then θ̄. Replicas that start from one state and
     * take steps on different shards can be averaged elementwise (periodic parameter averaging).
     */
    public float[] flatten() {
        int p = Math.toIntExact(size());
        int parts = 1 + optimizerState.size() + (average != null ? 1 : 0);
        float[] out = new float[Math.multiplyExact(p, parts)];
        int at = 0;
        for (INDArray a : vectors()) {
            System.arraycopy(org.score4j.api.tensors.Tensors.floats(a), 0, out, at, p);
            at += p;
        }
        return out;
    }

    /** Replaces the whole state with {@code flat} (the layout of {@link #flatten}) and the step count. */
    public void restore(float[] flat, long steps) {
        int p = Math.toIntExact(size());
        List<INDArray> vectors = vectors();
        if (flat.length != (long) p * vectors.size()) {
            throw new IllegalArgumentException("a training state of " + vectors.size() + " × " + p + " values, got "
                    + flat.length);
        }
        INDArray all = Nd4j.createFromArray(flat);
        for (int k = 0; k < vectors.size(); k++) {
            vectors.get(k).assign(all.get(NDArrayIndex.interval((long) k * p, (long) (k + 1) * p)));
        }
        this.steps = steps;
    }

    /** A deep copy. */
    public TrainingState copy() {
        return of(parameters, stateNames, optimizerState, average, steps);
    }

    private List<INDArray> vectors() {
        List<INDArray> v = new ArrayList<>();
        v.add(parameters);
        v.addAll(optimizerState);
        if (average != null) {
            v.add(average);
        }
        return v;
    }

    @Override
    public String toString() {
        return "TrainingState[P=" + size() + ", optimizer " + stateNames + ", average " + (average != null)
                + ", steps " + steps + "]";
    }

    static void requireSameLength(INDArray a, long length, String what) {
        Objects.requireNonNull(a, what);
        if (a.length() != length) {
            throw new IllegalArgumentException(what + " has " + a.length() + " values, expected " + length);
        }
    }
}
