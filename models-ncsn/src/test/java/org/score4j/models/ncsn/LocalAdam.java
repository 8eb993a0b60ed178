package org.score4j.models.ncsn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.Loss;
import org.score4j.api.Objective;
import org.score4j.api.ScoreModel;
import org.score4j.nn.cpu.FusedKernels;

/**
 * Training for the models' tests, as the runner trains: the flat parameters, a gradient array passed to every
 * backward pass, and Adam's step on them ({@link FusedKernels#adam}); no optimizer module needed.
 */
final class LocalAdam {
    private final ScoreModel model;
    private final double learningRate;
    private final INDArray theta;
    private final INDArray gradient;
    private final INDArray m;
    private final INDArray v;
    private long step;

    LocalAdam(ScoreModel model, double learningRate) {
        this.model = model;
        this.learningRate = learningRate;
        this.theta = model.parameters();
        long p = model.parameterCount();
        this.gradient = Nd4j.create(DataType.FLOAT, p);
        this.m = Nd4j.zeros(DataType.FLOAT, p);
        this.v = Nd4j.zeros(DataType.FLOAT, p);
    }

    /** One step on {@code batch} (labels given per row, or null); returns its loss before the step. */
    Loss step(Objective.Batch batch, int[] labels) {
        ScoreModel.TrainingPass pass = model.forward(batch.inputs(), batch.sigmas(), labels);
        Loss loss = batch.loss(pass.scores());
        pass.backward(loss.scoreGradient(), gradient);
        step++;
        double b1 = 0.9;
        double b2 = 0.999;
        double alpha = learningRate * Math.sqrt(1 - Math.pow(b2, step)) / (1 - Math.pow(b1, step));
        FusedKernels.adam(theta, gradient, m, v, 0, theta.length(), 1.0 / batch.exampleSigmas().length, alpha, b1, b2,
                1e-8, 1);
        model.setParameters(theta);
        return loss;
    }
}
