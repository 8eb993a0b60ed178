package org.score4j.models.ncsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;
import org.assertj.core.data.Offset;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Objective;
import org.score4j.api.ScoreModel;

/** Checks a model's back-propagated parameter gradient against central differences of the loss. */
final class FiniteDifferences {
    private FiniteDifferences() {
    }

    /**
     * @param parameters the model's live parameters; changing them must change its scores
     * @param analytic   ∂(mean loss)/∂parameters as the model computes it
     * @param every      check every {@code every}-th parameter
     */
    static void assertGradientMatches(ScoreModel model, Objective.Batch batch, Supplier<INDArray> parameters,
                                      INDArray analytic, long every, double h) {
        int checked = 0;
        for (long j = 0; j < analytic.length(); j += every) {
            INDArray params = parameters.get();
            double original = params.getDouble(j);
            params.putScalar(j, original + h);
            double up = batch.loss(model.score(batch.inputs(), batch.sigmas())).mean();
            params = parameters.get();
            params.putScalar(j, original - h);
            double down = batch.loss(model.score(batch.inputs(), batch.sigmas())).mean();
            params = parameters.get();
            params.putScalar(j, original);
            double numeric = (up - down) / (2 * h);
            assertThat(analytic.getDouble(j)).as("∂loss/∂θ[%d]", j)
                    .isCloseTo(numeric, Offset.offset(2e-3 + 0.03 * Math.abs(numeric)));
            checked++;
        }
        assertThat(checked).isGreaterThan(5);
        assertThat(analytic.norm2Number().doubleValue()).isGreaterThan(1e-3);
    }
}
