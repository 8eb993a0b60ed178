package org.score4j.objectives.ssm;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.score4j.api.Loss;
import org.score4j.api.Objective;
import org.score4j.api.tensors.Tensors;

/**
 * The score-matching loss of one minibatch with the Jacobian term by central differences. For each
 * example i with directions v_ik (k &lt; K) the model is evaluated at x_i ± ε_i v_ik, all 2NK points
 * in one batch (the N·K "plus" rows first, row i·K + k). With s̄_ik = (s₊ + s₋)/2 = s(x_i) + O(ε²):
 *
 * <pre>
 *   loss_i = λ_i [ a Σ_k v_ikᵀ(s₊ − s₋)/(2ε_i) + norm_i ]
 *   PROJECTED: norm_i = ½ (1/K) Σ_k (v_ikᵀ s̄_ik)²
 *   FULL:      norm_i = ½ ‖m_i‖²,  m_i = (1/K) Σ_k s̄_ik
 * </pre>
 *
 * a = 1/K for random projections (an average of unbiased trace estimates), a = 1 for the d basis
 * vectors (the trace itself).
 */
final class FiniteDifferenceBatch implements Objective.Batch {

    /** How the ½‖s‖² term of score matching is estimated. */
    enum NormTerm {
        /** ½ (vᵀs)², sliced score matching. */
        PROJECTED,
        /** ½ ‖s‖², variance-reduced SSM and exact score matching. */
        FULL
    }

    private final INDArray inputs;
    private final INDArray sigmas;
    private final double[] exampleSigmas;
    private final int[] rowExamples;
    private final INDArray directions;
    private final int perExample;
    private final double traceCoefficient;
    private final NormTerm normTerm;
    private final INDArray traceScale;
    private final INDArray weights;
    private final INDArray rowWeights;

    /**
     * @param draw        the points x_i, their noise levels and weights λ_i
     * @param directions  v_ik, shape {@code [N·K, d]}, row i·K + k
     * @param perExample  K
     * @param relativeStep ε_i / σ_i
     */
    FiniteDifferenceBatch(Conditioning.Draw draw, INDArray directions, int perExample, double traceCoefficient,
                          NormTerm normTerm, double relativeStep) {
        Objects.requireNonNull(draw, "draw");
        this.normTerm = Objects.requireNonNull(normTerm, "normTerm");
        INDArray x = Tensors.rows(draw.points());
        int n = (int) x.size(0);
        long d = x.size(1);
        int rows = n * perExample;
        this.perExample = perExample;
        this.traceCoefficient = traceCoefficient;
        this.exampleSigmas = draw.sigmas().clone();
        this.rowExamples = new int[2 * rows];
        for (int r = 0; r < rows; r++) {
            rowExamples[r] = r / perExample;
            rowExamples[rows + r] = r / perExample;
        }
        this.directions = directions.castTo(x.dataType());

        double[] step = new double[rows];
        double[] sigmaRows = new double[2 * rows];
        double[] scale = new double[rows];
        double[] weightRows = new double[rows];
        for (int r = 0; r < rows; r++) {
            int i = r / perExample;
            step[r] = relativeStep * draw.sigmas()[i];
            sigmaRows[r] = draw.sigmas()[i];
            sigmaRows[rows + r] = draw.sigmas()[i];
            scale[r] = traceCoefficient / (2 * step[r]);
            weightRows[r] = draw.weights()[i];
        }
        INDArray repeated = repeatRows(x, perExample);
        INDArray offset = Tensors.scaleRows(this.directions, Nd4j.createFromArray(step));
        long[] shape = draw.points().shape().clone();
        shape[0] = 2L * rows;
        this.inputs = Nd4j.concat(0, repeated.add(offset), repeated.sub(offset)).reshape('c', shape);
        this.sigmas = Nd4j.createFromArray(sigmaRows).castTo(x.dataType());
        this.traceScale = Nd4j.createFromArray(scale).castTo(x.dataType());
        this.weights = Nd4j.createFromArray(draw.weights()).castTo(x.dataType());
        this.rowWeights = Nd4j.createFromArray(weightRows).castTo(x.dataType());
    }

    @Override
    public INDArray inputs() {
        return inputs;
    }

    @Override
    public INDArray sigmas() {
        return sigmas;
    }

    @Override
    public int[] rowExamples() {
        return rowExamples.clone();
    }

    @Override
    public double[] exampleSigmas() {
        return exampleSigmas.clone();
    }

    @Override
    public Loss loss(INDArray scores) {
        INDArray all = Tensors.rows(scores).castTo(directions.dataType());
        long rows = directions.size(0);
        long d = directions.size(1);
        int n = (int) (rows / perExample);
        INDArray plus = all.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
        INDArray minus = all.get(NDArrayIndex.interval(rows, 2 * rows), NDArrayIndex.all());
        INDArray mean = plus.add(minus).muli(0.5);

        // a·vᵀ(s₊ − s₋)/(2ε) per row, and its gradient ±a·v/(2ε).
        INDArray traceRows = directions.mul(plus.sub(minus)).sum(1).muli(traceScale);
        INDArray traceGradient = Tensors.scaleRows(directions, traceScale);

        INDArray rowLoss;
        INDArray normGradient;
        INDArray exampleNorm;
        if (normTerm == NormTerm.PROJECTED) {
            INDArray projected = directions.mul(mean).sum(1);
            rowLoss = traceRows.add(projected.mul(projected).muli(0.5 / perExample));
            normGradient = Tensors.scaleRows(directions, projected.mul(0.5 / perExample));
            exampleNorm = null;
        } else {
            INDArray m = mean.reshape(n, perExample, d).mean(1);
            rowLoss = traceRows;
            exampleNorm = Tensors.rowSquaredNorms(m).muli(0.5);
            normGradient = repeatRows(m, perExample).muli(0.5 / perExample);
        }
        INDArray perExampleLoss = rowLoss.reshape(n, perExample).sum(1);
        if (exampleNorm != null) {
            perExampleLoss.addi(exampleNorm);
        }
        perExampleLoss.muli(weights);

        INDArray gradPlus = Tensors.scaleRows(traceGradient.add(normGradient), rowWeights);
        INDArray gradMinus = Tensors.scaleRows(normGradient.sub(traceGradient), rowWeights);
        INDArray gradient = Nd4j.concat(0, gradPlus, gradMinus).reshape('c', scores.shape());
        return new Loss(perExampleLoss.meanNumber().doubleValue(), perExampleLoss, gradient);
    }

    /** Each row of {@code a} ({@code [N, d]}) {@code times} times in a row: {@code [N·times, d]}, row i·times + k. */
    private static INDArray repeatRows(INDArray a, int times) {
        long n = a.size(0);
        long d = a.size(1);
        return a.reshape(n, 1, d).broadcast(n, times, d).dup('c').reshape(n * times, d);
    }
}
