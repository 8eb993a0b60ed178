package org.score4j.api.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.tensors.Tensors;

class RandomSourceTest {
    /** Two normal and two uniform draws in turn, as JVM arrays or as the arrays' values. */
    private static float[][] draws(RandomSource rng, boolean values) {
        return values
                ? new float[][] {rng.normalValues(5, 3), rng.uniformValues(-2, 3, 5), rng.normalValues(5),
                    rng.uniformValues(0, 1, 5, 2)}
                : new float[][] {Tensors.floats(rng.normal(5, 3)), Tensors.floats(rng.uniform(-2, 3, 5)),
                    Tensors.floats(rng.normal(5)), Tensors.floats(rng.uniform(0, 1, 5, 2))};
    }

    private static void sameDraws(Function<Long, RandomSource> source) {
        float[][] arrays = draws(source.apply(7L), false);
        assertThat(draws(source.apply(7L), true)).isDeepEqualTo(arrays);
        assertThat(draws(source.apply(8L), true)[0]).isNotEqualTo(arrays[0]);
        for (float u : arrays[1]) {
            assertThat(u).isBetween(-2f, 3f);
        }
    }

    @Test
    void aSeededStreamGivesTheSameValuesAsJvmArraysAndAsNativeArrays() {
        sameDraws(SeededRandom::new);
    }

    @Test
    void chainStreamsGiveTheSameValuesAsJvmArraysAndAsNativeArrays() {
        sameDraws(seed -> new ChainRandom(seed, 3, 5));
        float[] rows = new ChainRandom(7, 3, 5).normalValues(5, 3);
        for (int k = 0; k < 5; k++) {
            // Row k is chain 3 + k's own stream.
            assertThat(java.util.Arrays.copyOfRange(rows, 3 * k, 3 * k + 3))
                    .isEqualTo(new SeededRandom(Seeds.derive(7, 3 + k)).normalValues(3));
        }
        assertThatThrownBy(() -> new ChainRandom(1, 0, 5).normalValues(4, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must have 5 rows, got 4");
    }

    @Test
    void aSourceWithoutJvmDrawsOfItsOwnCopiesItsArrays() {
        sameDraws(seed -> new RandomSource() {
            private final SeededRandom stream = new SeededRandom(seed);

            @Override
            public INDArray normal(long... shape) {
                return stream.normal(shape);
            }

            @Override
            public INDArray uniform(double low, double high, long... shape) {
                return stream.uniform(low, high, shape);
            }

            @Override
            public INDArray rademacher(long... shape) {
                return stream.rademacher(shape);
            }

            @Override
            public int[] integers(int n, int bound) {
                return stream.integers(n, bound);
            }
        });
    }
}
