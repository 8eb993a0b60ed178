package org.score4j.api.ode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.tensors.Tensors;

class DormandPrinceTest {
    private static final Derivative<double[][]> DECAY = (t, y) -> scale(y, -1);
    /** dy/dt = (−y₂, y₁): a rotation by angle t. */
    private static final Derivative<double[][]> ROTATION = (t, y) -> {
        double[][] out = new double[y.length][2];
        for (int i = 0; i < y.length; i++) {
            out[i][0] = -y[i][1];
            out[i][1] = y[i][0];
        }
        return out;
    };

    @ParameterizedTest
    @ValueSource(doubles = {1e-3, 1e-6, 1e-9})
    void decayMatchesTheExponentialWithinTheTolerance(double rtol) {
        double[][] y0 = {{1}, {2}, {-3}};
        OdeResult<double[][]> r = new DormandPrince(rtol, rtol, 100_000).integrateRows(DECAY, 0, 5, y0,
                StepObserver.none());
        assertThat(r.finished()).isTrue();
        assertThat(r.t()).isEqualTo(5);
        for (int i = 0; i < y0.length; i++) {
            double exact = y0[i][0] * Math.exp(-5);
            // The global error of a well-conditioned problem stays within a small multiple of the local tolerance.
            assertThat(r.state()[i][0]).isCloseTo(exact, offset(10 * rtol * (1 + Math.abs(y0[i][0]))));
        }
        assertThat(r.evaluations()).isEqualTo(2 + 6L * (r.accepted() + r.rejected()));
    }

    @Test
    void tighterTolerancesTakeMoreStepsAndGetCloser() {
        double[][] y0 = {{1}};
        double previousError = Double.POSITIVE_INFINITY;
        long previousEvaluations = 0;
        for (double tol : new double[] {1e-3, 1e-6, 1e-9}) {
            OdeResult<double[][]> r = new DormandPrince(tol, tol, 100_000).integrateRows(DECAY, 0, 5, y0,
                    StepObserver.none());
            double error = Math.abs(r.state()[0][0] - Math.exp(-5));
            assertThat(error).as("error at tolerance %s", tol).isLessThan(previousError);
            assertThat(r.evaluations()).as("evaluations at tolerance %s", tol).isGreaterThan(previousEvaluations);
            previousError = error;
            previousEvaluations = r.evaluations();
        }
    }

    @Test
    void integratesBackwardsInTime() {
        double[][] y5 = {{Math.exp(-5)}};
        OdeResult<double[][]> r = new DormandPrince(1e-8, 1e-12, 100_000).integrateRows(DECAY, 5, 0, y5,
                StepObserver.none());
        assertThat(r.finished()).isTrue();
        assertThat(r.t()).isEqualTo(0);
        assertThat(r.state()[0][0]).isCloseTo(1, offset(1e-6));
    }

    @ParameterizedTest
    @ValueSource(doubles = {1e-4, 1e-7, 1e-10})
    void rotationReturnsToItsStartAfterAFullTurn(double tol) {
        double[][] y0 = {{1, 0}, {0.3, -2}};
        DormandPrince dp = new DormandPrince(tol, tol, 1_000_000);
        OdeResult<double[][]> quarter = dp.integrateRows(ROTATION, 0, Math.PI / 2, y0, StepObserver.none());
        // A quarter turn maps (a, b) to (−b, a).
        for (int i = 0; i < y0.length; i++) {
            assertThat(quarter.state()[i][0]).isCloseTo(-y0[i][1], offset(20 * tol));
            assertThat(quarter.state()[i][1]).isCloseTo(y0[i][0], offset(20 * tol));
        }
        OdeResult<double[][]> full = dp.integrateRows(ROTATION, 0, 2 * Math.PI, y0, StepObserver.none());
        for (int i = 0; i < y0.length; i++) {
            assertThat(full.state()[i]).containsExactly(y0[i], offset(50 * tol));
        }
    }

    @Test
    void arraysOfEitherPrecisionFollowTheRows() {
        double[][] rows = {{1, 0}, {0.3, -2}, {-1, 1}};
        Derivative<INDArray> rotation = (t, y) -> {
            assertThat(y.shape()).containsExactly(3, 2);
            return Tensors.array(flat(ROTATION.at(t, unflat(Tensors.doubles(y), 2))), y.dataType(), 3, 2);
        };
        DormandPrince dp = new DormandPrince(1e-8, 1e-8, 100_000);
        OdeResult<double[][]> byRows = dp.integrateRows(ROTATION, 0, 1, rows, StepObserver.none());
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray y0 = Tensors.array(flat(rows), type, 3, 2);
            OdeResult<INDArray> r = dp.integrate(rotation, 0, 1, y0, StepObserver.none());
            assertThat(r.state().dataType()).isEqualTo(type);
            assertThat(r.state().shape()).containsExactly(3, 2);
            // The method works in doubles; a FLOAT state only rounds what the derivative sees.
            assertThat(Tensors.doubles(r.state())).containsExactly(flat(byRows.state()),
                    offset(type == DataType.DOUBLE ? 1e-12 : 1e-5));
            assertThat(Tensors.doubles(y0)).as("the start is not modified").containsExactly(Tensors.doubles(
                    Tensors.array(flat(rows), type, 3, 2)));
        }
    }

    @Test
    void theCapStopsItWithoutGoingBeyond() {
        OdeResult<double[][]> r = new DormandPrince(1e-12, 1e-12, 50).integrateRows(DECAY, 0, 100, new double[][] {{1}},
                StepObserver.none());
        assertThat(r.finished()).isFalse();
        assertThat(r.outcome()).isEqualTo(OdeResult.Outcome.EVALUATION_CAP);
        assertThat(r.evaluations()).isLessThanOrEqualTo(50).isGreaterThan(50 - 6);
        assertThat(r.t()).isStrictlyBetween(0.0, 100.0);
        assertThat(r.state()[0][0]).isCloseTo(Math.exp(-r.t()), offset(1e-9));
    }

    @Test
    void aDerivativeThatIsNeverFiniteEndsTheRunInsteadOfHanging() {
        Derivative<double[][]> broken = (t, y) -> new double[][] {{Double.NaN}};
        OdeResult<double[][]> r = new DormandPrince(1e-6, 1e-6, 1_000_000).integrateRows(broken, 0, 1,
                new double[][] {{1}}, StepObserver.none());
        assertThat(r.finished()).isFalse();
        assertThat(r.outcome()).isEqualTo(OdeResult.Outcome.STEP_TOO_SMALL);
        assertThat(r.accepted()).isZero();
        assertThat(r.state()[0][0]).isEqualTo(1);
    }

    @Test
    void theObserverSeesEveryAcceptedStepAndMayChangeTheState() {
        List<Double> times = new ArrayList<>();
        List<Long> evaluations = new ArrayList<>();
        OdeResult<double[][]> watched = new DormandPrince(1e-6, 1e-6, 100_000).integrateRows(DECAY, 0, 3,
                new double[][] {{1}}, (t, y, n) -> {
                    times.add(t);
                    evaluations.add(n);
                });
        assertThat(times).hasSize(watched.accepted()).isSorted().last().isEqualTo(3.0);
        assertThat(evaluations).isSorted().last().isEqualTo(watched.evaluations());

        // Setting the state to 2 at the first step: from there on the solution is 2·e^(t₁ − t).
        double[] first = new double[1];
        OdeResult<double[][]> reset = new DormandPrince(1e-8, 1e-8, 100_000).integrateRows(DECAY, 0, 3,
                new double[][] {{1}}, (t, y, n) -> {
                    if (first[0] == 0) {
                        first[0] = t;
                        y[0][0] = 2;
                    }
                });
        assertThat(reset.state()[0][0]).isCloseTo(2 * Math.exp(first[0] - 3), offset(1e-6));
        // One evaluation more, at the changed state.
        assertThat(reset.evaluations()).isEqualTo(3 + 6L * (reset.accepted() + reset.rejected()));
    }

    @Test
    void refusesBadSettings() {
        assertThatThrownBy(() -> new DormandPrince(0, 1e-6, 10)).hasMessageContaining("rtol");
        assertThatThrownBy(() -> new DormandPrince(1e-6, -1, 10)).hasMessageContaining("atol");
        assertThatThrownBy(() -> new DormandPrince(1e-6, 1e-6, 0)).hasMessageContaining("max-evaluations");
        assertThatThrownBy(() -> new DormandPrince(1e-6, 1e-6, 10).integrate((t, y) -> y, 0, 1,
                Tensors.array(new double[] {1}, DataType.INT32, 1), StepObserver.none()))
                .hasMessageContaining("FLOAT or DOUBLE");
    }

    private static double[][] scale(double[][] y, double c) {
        double[][] out = new double[y.length][];
        for (int i = 0; i < y.length; i++) {
            out[i] = y[i].clone();
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] *= c;
            }
        }
        return out;
    }

    private static double[] flat(double[][] rows) {
        double[] out = new double[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * rows[i].length, rows[i].length);
        }
        return out;
    }

    private static double[][] unflat(double[] values, int width) {
        double[][] out = new double[values.length / width][width];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(values, i * width, out[i], 0, width);
        }
        return out;
    }
}
