package org.score4j.api.random;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A source whose normal, uniform and Rademacher draws all come from one fill of a float array from its streams: the
 * native-array and JVM-array forms of a draw in one place, so that the two give the same values. The methods are not
 * final so that the public subclasses carry public copies of them (calls through reflection on those classes work).
 */
abstract class FilledSource implements RandomSource {
    /** {@code shape}'s values of {@code kind} in C order, drawn from the source's streams. */
    abstract float[] values(Draws.Kind kind, double low, double high, long[] shape);

    @Override
    public INDArray normal(long... shape) {
        return Draws.array(normalValues(shape), shape);
    }

    @Override
    public INDArray uniform(double low, double high, long... shape) {
        return Draws.array(uniformValues(low, high, shape), shape);
    }

    @Override
    public INDArray rademacher(long... shape) {
        return Draws.array(values(Draws.Kind.RADEMACHER, 0, 0, shape), shape);
    }

    @Override
    public float[] normalValues(long... shape) {
        return values(Draws.Kind.NORMAL, 0, 0, shape);
    }

    @Override
    public float[] uniformValues(double low, double high, long... shape) {
        return values(Draws.Kind.UNIFORM, low, high, shape);
    }
}
