package org.score4j.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.score4j.nn.Gradients;
import org.score4j.nn.Layer;
import org.score4j.nn.ParameterLayout;
import org.score4j.nn.Planes;
import org.score4j.nn.Weights;

/**
 * Runs one layer on the CPU engine and its SameDiff expression on the same parameters and inputs, and checks the
 * layer's gradients against central differences of L = Σ y ⊙ g.
 */
final class LayerHarness<A extends Layer.Activations> {
    /** The SameDiff expression of the layer: x [N, C, H, W] and the parameter variables in the layout's order. */
    interface Expression {
        SDVariable apply(SameDiff sd, SDVariable x, List<SDVariable> parameters);
    }

    /** What one side computed: y and dx [N, C', H', W'] and dθ [P]. */
    record Result(INDArray y, INDArray dx, INDArray gradient) {
    }

    private final ParameterLayout layout;
    private final Layer<A> layer;
    private final int outChannels;
    private final Planes.Geometry outGeometry;
    private final boolean blocked;

    LayerHarness(ParameterLayout layout, Layer<A> layer, int outChannels, Planes.Geometry outGeometry,
                 boolean blocked) {
        this.layout = layout;
        this.layer = layer;
        this.outChannels = outChannels;
        this.outGeometry = outGeometry;
        this.blocked = blocked;
    }

    /** Fresh parameters plus noise, so that no part (a zero bias, a scale of one) is trivial. */
    INDArray parameters(long seed) {
        INDArray theta = layout.initial(seed);
        float[] values = theta.toFloatVector();
        SplittableRandom random = new SplittableRandom(seed + 1);
        for (int i = 0; i < values.length; i++) {
            values[i] += (float) (0.2 * normal(random));
        }
        return Nd4j.createFromArray(values);
    }

    /** The layer on the engine: forward, then a backward pass for dx only, then one for dθ only. */
    Result direct(INDArray theta, INDArray x, INDArray g) {
        int n = (int) x.size(0);
        Planes.Geometry in = new Planes.Geometry((int) x.size(2), (int) x.size(3));
        Planes xs = Planes.allocate((int) x.size(1), blocked, n, in);
        Planes y = Planes.allocate(outChannels, blocked, n, outGeometry);
        Planes dy = Planes.allocate(outChannels, blocked, n, outGeometry);
        Planes dx = Planes.allocate((int) x.size(1), blocked, n, in);
        A saved = layer.activations(n);
        try {
            Weights weights = Weights.of(theta);
            xs.write(x);
            layer.forward(weights, xs, y, saved);
            assertThat(saved.floats()).as("floats the activations hold per example")
                    .isEqualTo((long) (n * layer.activationsPerExample()));
            dy.write(g);
            layer.backward(weights, saved, dy, dx, null);
            INDArray gradient = Nd4j.zeros(DataType.FLOAT, layout.size());
            dy.write(g);
            layer.backward(weights, saved, dy, null, Gradients.into(gradient));
            return new Result(y.read(), dx.read(), gradient);
        } finally {
            saved.release();
            for (Planes p : new Planes[] {xs, y, dy, dx}) {
                p.release();
            }
        }
    }

    /** The expression in SameDiff, its output and the gradients of Σ y ⊙ g. */
    Result sameDiff(Expression expression, INDArray theta, INDArray x, INDArray g) {
        SameDiff sd = SameDiff.create();
        SDVariable xv = sd.placeHolder("x", DataType.FLOAT, -1, x.size(1), x.size(2), x.size(3));
        List<SDVariable> variables = new ArrayList<>();
        for (ParameterLayout.Part part : layout.parts()) {
            variables.add(sd.var(part.name(), theta.get(NDArrayIndex.interval(part.offset(), part.offset()
                    + part.length())).dup().reshape('c', part.shape())));
        }
        SDVariable y = sd.identity("y", expression.apply(sd, xv, variables));
        SDVariable gv = sd.placeHolder("g", DataType.FLOAT, g.shape());
        y.mul(gv).sum().markAsLoss();
        Map<String, INDArray> inputs = new HashMap<>();
        inputs.put("x", x);
        inputs.put("g", g);
        INDArray out = sd.output(inputs, "y").get("y");
        List<String> names = new ArrayList<>(layout.parts().stream().map(ParameterLayout.Part::name).toList());
        names.add("x");
        Map<String, INDArray> grads = quietly(() -> {
            sd.createGradFunction("x");
            return sd.calculateGradients(inputs, names);
        });
        INDArray gradient = Nd4j.zeros(DataType.FLOAT, layout.size());
        for (ParameterLayout.Part part : layout.parts()) {
            gradient.get(NDArrayIndex.interval(part.offset(), part.offset() + part.length()))
                    .assign(grads.get(part.name()).reshape(part.length()));
        }
        return new Result(out, grads.get("x"), gradient);
    }

    /** max |actual − expected| ≤ tolerance × max |expected|, and expected not trivially small. */
    static void assertClose(String what, INDArray actual, INDArray expected, double tolerance) {
        assertThat(actual.shape()).as("%s: shape", what).containsExactly(expected.shape());
        double scale = expected.amaxNumber().doubleValue();
        assertThat(scale).as("%s: max |expected|", what).isGreaterThan(1e-3);
        double error = actual.castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertThat(error).as("%s: max error against max %s", what, scale).isLessThanOrEqualTo(tolerance * scale);
    }

    /**
     * The directional derivatives of L(θ, x) = Σ layer(x; θ) ⊙ g along random directions of θ (dense, and on each
     * part alone) and of x match central differences of L computed by the layer itself, in double from float outputs
     * (see {@link #check}).
     */
    void assertFiniteDifferences(INDArray theta, INDArray x, INDArray g, long seed) {
        Result r = direct(theta, x, g);
        SplittableRandom random = new SplittableRandom(seed);
        List<double[]> directions = new ArrayList<>();
        directions.add(direction(random, 0, (int) layout.size(), (int) layout.size()));
        for (ParameterLayout.Part part : layout.parts()) {
            directions.add(direction(random, part.at(), part.at() + (int) part.length(), (int) layout.size()));
        }
        double[] analytic = r.gradient().data().asDouble();
        List<String> report = new ArrayList<>();
        for (double[] v : directions) {
            report.add(check("θ", analytic, v, t -> loss(t, x, g), theta));
        }
        double[] dx = r.dx().dup('c').data().asDouble();
        for (int k = 0; k < 3; k++) {
            report.add(check("x", dx, direction(random, 0, (int) x.length(), (int) x.length()),
                    p -> loss(theta, p.reshape(x.shape()), g), x.reshape(x.length())));
        }
        System.out.println(String.join("\n", report));
    }

    /**
     * The derivative along v at steps h and h/2, per unit of the step Δ (float points x ± h·v, Δ their exact
     * difference): the analytic ∇L·Δ/‖Δ‖ must match the numeric (L(x₊) − L(x₋))/‖Δ‖ at h/2 within twice the change of
     * the numeric estimate between h and h/2 (the truncation error at h/2 is a third of it for a smooth L), plus the
     * float rounding of L over the step, plus 10⁻³ of the derivative; and that tolerance must be under 5 % of the
     * derivative, so that the check says something.
     */
    private String check(String what, double[] analytic, double[] v, Function<INDArray, double[]> loss, INDArray point) {
        double[] coarse = estimate(analytic, v, loss, point, 1e-2);
        double[] fine = estimate(analytic, v, loss, point, 5e-3);
        double tolerance = 2 * Math.abs(coarse[0] - fine[0]) + fine[2] + 1e-3 * Math.abs(fine[1]);
        String line = String.format(Locale.ROOT, "d%s: analytic %.6g, numeric %.6g (step h: %.6g), tolerance %.3g",
                what, fine[1], fine[0], coarse[0], tolerance);
        assertThat(Math.abs(fine[0] - fine[1])).as(line).isLessThanOrEqualTo(tolerance);
        assertThat(tolerance).as("a check that says something: " + line).isLessThan(0.05 * Math.abs(fine[1]));
        return line;
    }

    /** {numeric, analytic, rounding} per unit of the step for step h along v. */
    private static double[] estimate(double[] analytic, double[] v, Function<INDArray, double[]> loss, INDArray point,
                                     double h) {
        float[] base = point.dup('c').data().asFloat();
        float[] plus = new float[base.length];
        float[] minus = new float[base.length];
        double along = 0;
        double norm = 0;
        for (int i = 0; i < base.length; i++) {
            plus[i] = (float) (base[i] + h * v[i]);
            minus[i] = (float) (base[i] - h * v[i]);
            double delta = (double) plus[i] - minus[i];
            along += analytic[i] * delta;
            norm += delta * delta;
        }
        norm = Math.sqrt(norm);
        double[] up = loss.apply(Nd4j.createFromArray(plus).reshape(point.shape()));
        double[] down = loss.apply(Nd4j.createFromArray(minus).reshape(point.shape()));
        // Each term of L is a float, rounded by at most 2⁻²⁴ of itself; for both evaluations.
        double rounding = 6e-8 * (up[1] + down[1]);
        return new double[] {(up[0] - down[0]) / norm, along / norm, rounding / norm};
    }

    /** L and Σ |y ⊙ g|. */
    private double[] loss(INDArray theta, INDArray x, INDArray g) {
        int n = (int) x.size(0);
        Planes.Geometry in = new Planes.Geometry((int) x.size(2), (int) x.size(3));
        Planes xs = Planes.allocate((int) x.size(1), blocked, n, in);
        Planes y = Planes.allocate(outChannels, blocked, n, outGeometry);
        A saved = layer.activations(n);
        try {
            xs.write(x);
            layer.forward(Weights.of(theta), xs, y, saved);
            double[] out = y.read().data().asDouble();
            double[] gs = g.dup('c').data().asDouble();
            double sum = 0;
            double abs = 0;
            for (int i = 0; i < out.length; i++) {
                sum += out[i] * gs[i];
                abs += Math.abs(out[i] * gs[i]);
            }
            return new double[] {sum, abs};
        } finally {
            saved.release();
            xs.release();
            y.release();
        }
    }

    /** Normal values on [from, to) of a vector of {@code size}, zero elsewhere, of unit RMS on [from, to). */
    private static double[] direction(SplittableRandom random, int from, int to, int size) {
        double[] v = new double[size];
        for (int i = from; i < to; i++) {
            v[i] = normal(random);
        }
        return v;
    }

    static INDArray normal(long seed, long... shape) {
        SplittableRandom random = new SplittableRandom(seed);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] values = new float[(int) n];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) normal(random);
        }
        return Nd4j.createFromArray(values).reshape(shape);
    }

    private static double normal(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** SameDiff prints a line per differentiated op while it builds the gradient graph. */
    private static <T> T quietly(java.util.function.Supplier<T> work) {
        synchronized (System.class) {
            java.io.PrintStream out = System.out;
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            try {
                return work.get();
            } finally {
                System.setOut(out);
            }
        }
    }
}
