package org.score4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Loss;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;
import org.score4j.api.random.SeededRandom;

/** Checks of an {@link Objective}'s arithmetic. */
public final class ObjectiveContract {
    private ObjectiveContract() {
    }

    /**
     * The gradient an objective reports with respect to the scores matches central finite
     * differences of its summed loss, at random scores, for every coordinate of a small batch.
     * Runs in double precision.
     *
     * @param data a small batch of clean examples {@code [N, shape...]}
     */
    public static void assertGradientMatchesFiniteDifferences(Objective objective, NoiseSchedule schedule, INDArray data,
                                                              long seed) {
        INDArray x = data.castTo(DataType.DOUBLE);
        Objective.Batch batch = objective.prepare(x, schedule, new SeededRandom(seed));
        int examples = (int) x.size(0);
        long rows = batch.inputs().size(0);
        assertThat(batch.exampleSigmas()).as("one σ per example").hasSize(examples);
        assertThat(java.util.Arrays.stream(batch.exampleSigmas()).allMatch(s -> s > 0 && Double.isFinite(s)))
                .as("every example's σ is finite and > 0").isTrue();
        assertThat(batch.sigmas().length()).as("one σ per row").isEqualTo(rows);
        assertThat(batch.rowExamples()).as("the example of each row").hasSize((int) rows);
        assertThat(java.util.Arrays.stream(batch.rowExamples()).allMatch(e -> e >= 0 && e < examples))
                .as("every row belongs to one of the %d examples", examples).isTrue();
        INDArray scores = new SeededRandom(seed + 1).normal(batch.inputs().shape()).castTo(DataType.DOUBLE);
        Loss loss = batch.loss(scores);
        assertThat(loss.scoreGradient().shape()).isEqualTo(scores.shape());
        assertThat(loss.perExample().length()).isEqualTo(x.size(0));
        assertThat(loss.mean()).isCloseTo(loss.perExample().meanNumber().doubleValue(), org.assertj.core.data.Offset.offset(1e-9));

        INDArray flatScores = scores.reshape(scores.length());
        INDArray flatGrad = loss.scoreGradient().castTo(DataType.DOUBLE).reshape(scores.length());
        double h = 1e-5;
        for (long j = 0; j < flatScores.length(); j++) {
            double original = flatScores.getDouble(j);
            flatScores.putScalar(j, original + h);
            double up = batch.loss(scores).perExample().sumNumber().doubleValue();
            flatScores.putScalar(j, original - h);
            double down = batch.loss(scores).perExample().sumNumber().doubleValue();
            flatScores.putScalar(j, original);
            double numeric = (up - down) / (2 * h);
            assertThat(flatGrad.getDouble(j)).as("∂loss/∂score[%d]", j)
                    .isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-5 * Math.max(1, Math.abs(numeric))));
        }
    }
}
