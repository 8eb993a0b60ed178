package org.score4j.models.ncsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class SigmaFeaturesTest {
    private static final int EMBEDDING = 8;

    @Test
    void rowsOfRepeatedLevelsGetTheFeaturesOfTheirOwnLevel() {
        Random random = new Random(3);
        double[] schedule = {20, 7.5, 3, 1, 0.5, 0.01};
        double[] few = new double[500];
        for (int i = 0; i < few.length; i++) {
            few[i] = schedule[random.nextInt(schedule.length)];
        }
        assertRowByRow(few, 3);
        // More distinct levels than a batch remembers, each seen again later, some next to each other.
        double[] many = new double[6000];
        for (int i = 0; i < many.length; i++) {
            many[i] = i < 3000 ? 0.01 + i * 1e-3 : many[random.nextInt(3000)];
        }
        many[4000] = many[3999];
        assertRowByRow(many, 0);
        assertRowByRow(new double[0], 2);
    }

    @Test
    void aConditionalModelsFeaturesEndInTheOneHotOfTheLabelWithASlotForUnconditional() {
        INDArray sigma = Nd4j.createFromArray(0.5f, 2f, 0.5f, 1f);
        INDArray plain = SigmaFeatures.of(sigma, 1.7, EMBEDDING, null, 0);
        assertThat(plain.shape()).containsExactly(4, 9);
        INDArray labelled = SigmaFeatures.of(sigma, 1.7, EMBEDDING, new int[] {2, -1, 0, 2}, 3);
        assertThat(labelled.shape()).containsExactly(4, 9 + 4);
        assertThat(labelled.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 9))).isEqualTo(plain);
        assertThat(labelled.get(NDArrayIndex.all(), NDArrayIndex.interval(9, 13)).toFloatMatrix()).isDeepEqualTo(
                new float[][] {{0, 0, 1, 0}, {0, 0, 0, 1}, {1, 0, 0, 0}, {0, 0, 1, 0}});
        // Null labels: every row unconditional.
        assertThat(SigmaFeatures.of(sigma, 1.7, EMBEDDING, null, 3).getColumn(12).toFloatVector())
                .containsExactly(1, 1, 1, 1);
    }

    @Test
    void labelsAreCheckedWithMessagesThatSayWhatIsAllowed() {
        ClassLabels.check(null, 3, 0, "m");
        ClassLabels.check(new int[] {-1, -1}, 2, 0, "m");
        ClassLabels.check(new int[] {0, 4, -1}, 3, 5, "m");
        assertThatThrownBy(() -> ClassLabels.check(new int[] {-1, 0}, 2, 0, "m")).hasMessage(
                "m is unconditional (the data has no classes): labels must be null or -1, got 0 at row 1");
        assertThatThrownBy(() -> ClassLabels.check(new int[] {0, 5}, 2, 5, "m")).hasMessage(
                "m has 5 classes: labels must be in [0, 5) or -1 (unconditional), got 5 at row 1");
        assertThatThrownBy(() -> ClassLabels.check(new int[] {0}, 2, 5, "m"))
                .hasMessage("m needs one label per row: 2 rows, 1 labels");
    }

    private static void assertRowByRow(double[] sigmas, int offset) {
        int width = SigmaFeatures.width(EMBEDDING);
        int stride = width + offset;
        float[] batch = new float[sigmas.length * stride];
        SigmaFeatures.writeRows(sigmas, 1.7, EMBEDDING, batch, stride, offset);
        float[] expected = new float[sigmas.length * stride];
        for (int i = 0; i < sigmas.length; i++) {
            SigmaFeatures.write(sigmas[i], 1.7, EMBEDDING, expected, i * stride + offset);
        }
        assertThat(batch).containsExactly(expected);
    }
}
