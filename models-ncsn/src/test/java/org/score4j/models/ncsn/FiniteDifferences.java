package org.score4j.models.ncsn;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Objective;
import org.score4j.api.ScoreModel;

/**
 * Checks a model's back-propagated gradient of a real loss against central differences of the loss, parameter by
 * parameter: the whole chain the runner runs (scores, the objective's score gradient, the parameter VJP).
 */
final class FiniteDifferences {
    private FiniteDifferences() {
    }

    /**
     * @param analytic ∂(mean loss)/∂parameters as the model computes it
     * @param every    check every {@code every}-th parameter
     */
    static void assertGradientMatches(ScoreModel model, Objective.Batch batch, INDArray analytic, long every, double h) {
        INDArray parameters = model.parameters();
        int checked = 0;
        for (long j = 0; j < analytic.length(); j += every) {
            double original = parameters.getDouble(j);
            parameters.putScalar(j, original + h);
            model.setParameters(parameters);
            double up = batch.loss(model.score(batch.inputs(), batch.sigmas())).mean();
            parameters.putScalar(j, original - h);
            model.setParameters(parameters);
            double down = batch.loss(model.score(batch.inputs(), batch.sigmas())).mean();
            parameters.putScalar(j, original);
            double numeric = (up - down) / (2 * h);
            assertThat(analytic.getDouble(j)).as("∂loss/∂θ[%d]", j)
                    .isCloseTo(numeric, Offset.offset(2e-3 + 0.03 * Math.abs(numeric)));
            checked++;
        }
        model.setParameters(parameters);
        assertThat(checked).isGreaterThan(5);
        assertThat(analytic.norm2Number().doubleValue()).isGreaterThan(1e-3);
    }

    /** ∂(mean loss)/∂parameters through one training pass. */
    static INDArray meanGradient(ScoreModel model, Objective.Batch batch) {
        ScoreModel.TrainingPass pass = model.forward(batch.inputs(), batch.sigmas(), null);
        INDArray gradient = org.nd4j.linalg.factory.Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT,
                model.parameterCount());
        pass.backward(batch.loss(pass.scores()).scoreGradient(), gradient);
        return gradient.divi(batch.exampleSigmas().length);
    }
}
