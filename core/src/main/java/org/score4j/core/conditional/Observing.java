package org.score4j.core.conditional;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.score4j.api.StepListener;
import org.score4j.api.random.ChainRandom;
import org.score4j.api.random.Seeds;
import org.score4j.core.sampling.ChainHook;

/**
 * Conditioning any sampler on observed coordinates (NCSN's inpainting, Song &amp; Ermon 2019, Algorithm 2): chain k's
 * observed coordinates are set to its observed values noised to the current level, ỹ = y + σ·z, at the start and
 * after every step, and the sampler moves the others. z is drawn once per level (the σ a step reports) from chain k's
 * own stream, so a chain's result does not depend on its batch; at σ = 0 the observed values are set exactly.
 */
public final class Observing implements ChainHook {
    private final INDArray values;
    private final INDArray mask;
    private final long seed;
    private final StepListener inner;

    /**
     * @param values the observed values of every chain, {@code [count, shape...]} (what is not observed is ignored,
     *               NaN included)
     * @param mask   1 where a coordinate is observed, 0 where it is sampled, the shape of {@code values}
     * @param inner  told of every step after the observed coordinates are set (progress, trajectories)
     */
    public Observing(INDArray values, INDArray mask, long seed, StepListener inner) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(mask, "mask");
        if (!java.util.Arrays.equals(values.shape(), mask.shape())) {
            throw new IllegalArgumentException("values " + java.util.Arrays.toString(values.shape()) + " and mask "
                    + java.util.Arrays.toString(mask.shape()) + " must have one shape");
        }
        INDArray m = mask.castTo(DataType.FLOAT);
        // NaN·0 is NaN: what is not observed is zeroed before it is ever multiplied by the mask.
        this.values = nanToZero(values.castTo(DataType.FLOAT)).muli(m);
        this.mask = m;
        this.seed = Seeds.derive(seed, "observed-noise");
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    @Override
    public void start(long first, INDArray start, double sigma) {
        int n = (int) start.size(0);
        set(start, rows(values, first, n), rows(mask, first, n), sigma, new ChainRandom(seed, first, n));
    }

    @Override
    public StepListener listener(int b, long first, int n) {
        INDArray y = rows(values, first, n);
        INDArray m = rows(mask, first, n);
        ChainRandom rng = new ChainRandom(seed ^ 0x9E3779B97F4A7C15L, first, n);
        double[] level = {Double.NaN};
        INDArray[] noised = {null};
        return step -> {
            if (noised[0] == null || step.sigma() != level[0]) {
                level[0] = step.sigma();
                noised[0] = step.sigma() == 0 ? y.dup() : y.add(rng.normal(y.shape()).muli(step.sigma()));
            }
            INDArray x = step.x();
            x.muli(m.rsub(1)).addi(noised[0].mul(m).castTo(x.dataType()));
            inner.afterStep(step);
        };
    }

    private static void set(INDArray x, INDArray y, INDArray m, double sigma, ChainRandom rng) {
        INDArray noised = y.add(rng.normal(y.shape()).muli(sigma));
        x.muli(m.rsub(1)).addi(noised.muli(m).castTo(x.dataType()));
    }

    private static INDArray rows(INDArray a, long first, int n) {
        return a.get(NDArrayIndex.interval(first, first + n)).dup();
    }

    private static INDArray nanToZero(INDArray a) {
        float[] v = org.score4j.api.tensors.Tensors.floats(a);
        for (int i = 0; i < v.length; i++) {
            if (Float.isNaN(v[i])) {
                v[i] = 0;
            }
        }
        return org.score4j.api.tensors.Tensors.array(v, DataType.FLOAT, a.shape());
    }
}
