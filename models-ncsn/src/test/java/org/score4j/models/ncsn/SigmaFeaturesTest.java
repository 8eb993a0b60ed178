package org.score4j.models.ncsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

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
