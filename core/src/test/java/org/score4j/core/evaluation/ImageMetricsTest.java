package org.score4j.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.score4j.api.Dataset;
import org.score4j.api.FiniteDataset;
import org.score4j.api.random.RandomSource;

/** The memorisation check compares samples with every training image, exactly as stored. */
class ImageMetricsTest {
    /** 6000 random 1×8×8 "images" in [0, 1], quantised to 8 bits; draws add dequantisation noise. */
    private static final class Pool implements FiniteDataset {
        private final INDArray images;
        private final Pool heldOut;

        Pool(long seed, int n, boolean withHeldOut) {
            images = Nd4j.getRandomFactory().getNewRandomInstance(seed).nextDouble(new long[] {n, 1, 8, 8})
                    .castTo(DataType.FLOAT).muli(255).castTo(DataType.INT).castTo(DataType.FLOAT).divi(255);
            heldOut = withHeldOut ? new Pool(seed + 1, 500, false) : null;
        }

        @Override
        public long[] exampleShape() {
            return new long[] {1, 8, 8};
        }

        @Override
        public INDArray sample(int n, RandomSource rng) {
            int[] rows = rng.integers(n, size());
            INDArray out = Nd4j.create(DataType.FLOAT, n, 1, 8, 8);
            for (int i = 0; i < n; i++) {
                out.get(NDArrayIndex.point(i)).assign(images.get(NDArrayIndex.point(rows[i])));
            }
            return out.addi(rng.uniform(0, 1.0 / 256, n, 1, 8, 8).castTo(DataType.FLOAT));
        }

        @Override
        public String fingerprint() {
            return "pool";
        }

        @Override
        public Optional<Dataset> heldOut() {
            return Optional.ofNullable(heldOut);
        }

        @Override
        public int size() {
            return (int) images.size(0);
        }

        @Override
        public INDArray examples(int from, int to) {
            return images.get(NDArrayIndex.interval(from, to)).dup();
        }
    }

    @Test
    void aPlantedCopyOfAnyTrainingImageIsFoundExactly() {
        Pool data = new Pool(7, 6000, true);
        INDArray samples = new Pool(99, 64, false).examples(0, 64);
        // Past the first chunk of the training set, so a check that reads only part of it misses the copy.
        samples.get(NDArrayIndex.point(17)).assign(data.examples(5321, 5322).get(NDArrayIndex.point(0)));
        @SuppressWarnings("unchecked")
        Map<String, Object> nn = (Map<String, Object>) ImageMetrics.samples(samples, data, 1, null)
                .get("nearest_training_image");
        assertThat(nn.get("training_images")).isEqualTo(6000);
        assertThat(nn.get("compared_with")).isEqualTo("every training example, its stored values");
        assertThat((double) nn.get("sample_min")).isZero();
        assertThat((double) nn.get("copies")).isEqualTo(1 / 64.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat((double) nn.get("sample_median")).isGreaterThan(1);

        ImageMetrics.Nearest without = ImageMetrics.nearestTraining(
                org.score4j.api.tensors.Tensors.rows(new Pool(99, 64, false).examples(0, 64)), data, 1);
        assertThat(java.util.Arrays.stream(without.distances()).min().orElseThrow()).isGreaterThan(1);
        // A sample one dequantisation step away from a training image is that close, not a random draw's distance.
        INDArray near = data.examples(4100, 4101).addi(0.5 / 256);
        assertThat(ImageMetrics.nearestTraining(org.score4j.api.tensors.Tensors.rows(near), data, 1).distances()[0])
                .isCloseTo(8 * 0.5 / 256, org.assertj.core.data.Offset.offset(1e-4));
    }
}
