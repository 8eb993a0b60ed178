package org.score4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.ConditionalScore;
import org.score4j.api.InputGradient;
import org.score4j.api.ScoreModel;
import org.score4j.api.spi.ModelBlueprint;
import org.score4j.api.spi.ModelFootprint;
import org.score4j.api.spi.ModelSpec;
import org.score4j.api.tensors.Tensors;

/**
 * Checks of a {@link ScoreModel} and the {@link ModelBlueprint} that builds it: shapes, the flat parameter view, that
 * a model rebuilt and given the parameters scores identically (how checkpoints restore it), the training pass, the
 * vector–Jacobian products against finite differences, labels, and the footprint.
 *
 * <p>Every check builds its own models from {@code blueprint} and {@code spec} and evaluates them on a small batch
 * drawn from a fixed seed: {@value #ROWS} rows of x ~ N(0, (s² + σ²)·I) with s the spec's data scale and σ from
 * 0.2·s to 4·s, and for a conditional spec labels that include {@link ConditionalScore#UNCONDITIONAL}. The parameters
 * are perturbed from their initial values first (so that no part is trivially zero, e.g. an output layer that starts
 * at zero). The models must be smooth in their parameters and inputs (swish, not ReLU) for the finite differences to
 * mean anything, and should be small: the checks evaluate them a few dozen times.
 */
public final class ModelContract {
    /** Rows of the batches the checks evaluate. */
    public static final int ROWS = 4;
    /**
     * An upper bound of the relative float rounding of one score, against max(|s_i|, rms(s)): models compute in float,
     * through layers whose sums reach far larger values than their outputs.
     */
    private static final double ROUNDING = 1e-6;
    private static final long SEED = 20_26;
    /** Contiguous blocks of the parameters (or of x) checked on their own. */
    private static final int BLOCKS = 16;

    private ModelContract() {
    }

    /**
     * Runs every check below; {@link #assertInputGradientMatchesFiniteDifferences} where the model implements
     * {@link InputGradient}.
     */
    public static void assertContract(ModelBlueprint blueprint, ModelSpec spec) {
        assertShapes(blueprint, spec);
        assertParametersRoundTrip(blueprint, spec);
        assertRebuiltModelScoresIdentically(blueprint, spec);
        assertTrainingPassMatchesScores(blueprint, spec);
        assertParameterGradientMatchesFiniteDifferences(blueprint, spec);
        if (blueprint.build(spec) instanceof InputGradient) {
            assertInputGradientMatchesFiniteDifferences(blueprint, spec);
        }
        assertLabels(blueprint, spec);
        assertFootprint(blueprint, spec);
    }

    /**
     * The model reports the spec's shape and classes; scores have the shape of x and its data type, leave x and σ as
     * they were, and are the same for a DOUBLE batch (computed in float) as for the FLOAT one; the parameters are a
     * FLOAT vector [P] with P = {@link ScoreModel#parameterCount()}; the forward FLOPs, where reported, are positive.
     */
    public static void assertShapes(ModelBlueprint blueprint, ModelSpec spec) {
        ScoreModel model = blueprint.build(spec);
        assertThat(model.exampleShape()).as("exampleShape").containsExactly(spec.exampleShape());
        assertThat(model.classes()).as("classes").isEqualTo(spec.classes());
        INDArray parameters = model.parameters();
        assertThat(parameters.dataType()).as("parameters' type").isEqualTo(DataType.FLOAT);
        assertThat(parameters.shape()).as("parameters' shape").containsExactly(model.parameterCount());
        assertThat(model.parameterCount()).as("parameterCount").isPositive();
        model.forwardFlops().ifPresent(f -> assertThat(f).as("forwardFlops").isPositive());

        Batch b = batch(spec, SEED);
        INDArray x = b.x().dup();
        INDArray sigma = b.sigma().dup();
        INDArray scores = model.score(b.x(), b.sigma(), b.labels());
        assertThat(scores.shape()).as("scores' shape").containsExactly(b.x().shape());
        assertThat(scores.dataType()).as("scores' type").isEqualTo(DataType.FLOAT);
        assertThat(Tensors.allFinite(scores)).as("finite scores").isTrue();
        assertSame("x after scoring", b.x(), x);
        assertSame("σ after scoring", b.sigma(), sigma);
        INDArray fromDoubles = model.score(b.x().castTo(DataType.DOUBLE), b.sigma().castTo(DataType.DOUBLE),
                b.labels());
        assertThat(fromDoubles.dataType()).as("scores of a DOUBLE batch").isEqualTo(DataType.DOUBLE);
        assertClose("scores of the DOUBLE batch", fromDoubles, scores, 1e-6);
    }

    /**
     * {@link ScoreModel#parameters} is a copy, {@link ScoreModel#setParameters} copies its argument in, and the two
     * round-trip exactly; new parameters change the scores; a vector of the wrong length is refused.
     */
    public static void assertParametersRoundTrip(ModelBlueprint blueprint, ModelSpec spec) {
        ScoreModel model = blueprint.build(spec);
        Batch b = batch(spec, SEED);
        INDArray fresh = model.parameters();
        INDArray before = model.score(b.x(), b.sigma(), b.labels());
        model.parameters().addi(1);
        assertSame("parameters() after changing a copy it returned", model.parameters(), fresh);

        INDArray theta = perturbed(fresh, SEED + 1);
        model.setParameters(theta);
        assertSame("parameters() after setParameters", model.parameters(), theta);
        INDArray after = model.score(b.x(), b.sigma(), b.labels());
        assertThat(maxAbs(after.sub(before))).as("how much setParameters changed the scores")
                .isGreaterThan(1e-6 * (1 + maxAbs(before)));
        theta.addi(1);
        assertSame("scores after changing the array given to setParameters", model.score(b.x(), b.sigma(),
                b.labels()), after);
        assertThatThrownBy(() -> model.setParameters(Nd4j.zeros(DataType.FLOAT, model.parameterCount() + 1)))
                .as("setParameters with P + 1 values").isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The same spec builds the same parameters, and a model built with another seed, used, and then given a model's
     * parameters scores exactly as it does (how a checkpoint is restored), in training mode too.
     */
    public static void assertRebuiltModelScoresIdentically(ModelBlueprint blueprint, ModelSpec spec) {
        ScoreModel model = blueprint.build(spec);
        assertSame("parameters of the same spec built again", blueprint.build(spec).parameters(),
                model.parameters());
        ModelSpec other = new ModelSpec(spec.exampleShape(), spec.dataScale(), spec.seed() + 1, spec.classes());
        ScoreModel restored = blueprint.build(other);
        Batch before = batch(spec, SEED + 14);
        restored.setParameters(perturbed(restored.parameters(), SEED + 15));
        restored.forward(before.x(), before.sigma(), before.labels()).backward(before.g(),
                Nd4j.create(DataType.FLOAT, restored.parameterCount()));

        model.setParameters(perturbed(model.parameters(), SEED + 2));
        restored.setParameters(model.parameters());
        Batch b = batch(spec, SEED + 3);
        assertSame("scores of a model rebuilt and given the parameters", restored.score(b.x(), b.sigma(), b.labels()),
                model.score(b.x(), b.sigma(), b.labels()));
        assertSame("training scores of a model rebuilt and given the parameters",
                restored.forward(b.x(), b.sigma(), b.labels()).scores(),
                model.forward(b.x(), b.sigma(), b.labels()).scores());
    }

    /**
     * {@link ScoreModel#forward}'s scores equal {@link ScoreModel#score}'s for the same parameters (up to float
     * rounding, as training and inference may fuse operations differently), and its backward pass overwrites every
     * value of the gradient array it is given.
     */
    public static void assertTrainingPassMatchesScores(ModelBlueprint blueprint, ModelSpec spec) {
        ScoreModel model = blueprint.build(spec);
        model.setParameters(perturbed(model.parameters(), SEED + 4));
        Batch b = batch(spec, SEED + 5);
        INDArray scores = model.score(b.x(), b.sigma(), b.labels());
        ScoreModel.TrainingPass pass = model.forward(b.x(), b.sigma(), b.labels());
        assertThat(pass.scores().shape()).as("training scores' shape").containsExactly(b.x().shape());
        assertClose("training scores against score()", pass.scores(), scores, 1e-5);

        INDArray filled = Nd4j.valueArrayOf(new long[] {model.parameterCount()}, Float.NaN, DataType.FLOAT);
        pass.backward(b.g(), filled);
        INDArray zeros = Nd4j.zeros(DataType.FLOAT, model.parameterCount());
        model.forward(b.x(), b.sigma(), b.labels()).backward(b.g(), zeros);
        assertThat(Tensors.allFinite(filled)).as("a gradient array filled with NaN before backward: every value "
                + "overwritten").isTrue();
        assertClose("the gradient into a NaN-filled array against one into zeros", filled, zeros, 1e-6);
        assertThat(maxAbs(zeros)).as("the parameter gradient").isPositive();
    }

    /**
     * The parameter vector–Jacobian product of a training pass, ∂(Σ g ⊙ s)/∂θ, matches central finite differences of
     * Σ g ⊙ s along random parameter directions: a dense one, the gradient itself, and a dense one on each of
     * 16 contiguous blocks that split the vector (so that a wrong part, say an embedding whose gradient
     * is lost, cannot hide in the rest; a part much smaller than P/16 is checked within its block).
     * Differences in float are checked to a tolerance derived from the scores' rounding, the step and the change of
     * the estimate when the step halves (see {@link #assertDirectionalDerivatives}).
     */
    public static void assertParameterGradientMatchesFiniteDifferences(ModelBlueprint blueprint, ModelSpec spec) {
        ScoreModel model = blueprint.build(spec);
        INDArray theta = perturbed(model.parameters(), SEED + 6);
        model.setParameters(theta);
        Batch b = batch(spec, SEED + 7);
        INDArray gradient = Nd4j.zeros(DataType.FLOAT, model.parameterCount());
        model.forward(b.x(), b.sigma(), b.labels()).backward(b.g(), gradient);
        double[] analytic = Tensors.doubles(gradient);
        double[] point = Tensors.doubles(theta);
        double[] g = Tensors.doubles(b.g());
        double rounding = rounding(model.score(b.x(), b.sigma(), b.labels()), g);
        ToDoubleFunction<float[]> f = p -> {
            model.setParameters(Nd4j.createFromArray(p));
            return dot(Tensors.doubles(model.score(b.x(), b.sigma(), b.labels())), g);
        };
        assertDirectionalDerivatives("∂(Σ g⊙s)/∂θ", point, analytic, directions(analytic, SEED + 8), 1e-2 * rms(point),
                rounding, f);
    }

    /**
     * The input vector–Jacobian product of an {@link InputGradient} model, ∂(Σ g ⊙ s)/∂x, has x's shape and type and
     * matches central finite differences of Σ g ⊙ s along random directions of x (as the parameter check does).
     */
    public static void assertInputGradientMatchesFiniteDifferences(ModelBlueprint blueprint, ModelSpec spec) {
        ScoreModel model = blueprint.build(spec);
        assertThat(model).as("a model with an input gradient").isInstanceOf(InputGradient.class);
        InputGradient inputGradient = (InputGradient) model;
        model.setParameters(perturbed(model.parameters(), SEED + 9));
        Batch b = batch(spec, SEED + 10);
        INDArray x = b.x().dup();
        INDArray dx = inputGradient.inputGradient(b.x(), b.sigma(), b.labels(), b.g());
        assertThat(dx.shape()).as("input gradient's shape").containsExactly(b.x().shape());
        assertThat(dx.dataType()).as("input gradient's type").isEqualTo(DataType.FLOAT);
        assertSame("x after the input gradient", b.x(), x);
        INDArray fromDoubles = inputGradient.inputGradient(b.x().castTo(DataType.DOUBLE),
                b.sigma().castTo(DataType.DOUBLE), b.labels(), b.g().castTo(DataType.DOUBLE));
        assertThat(fromDoubles.dataType()).as("input gradient of a DOUBLE batch").isEqualTo(DataType.DOUBLE);
        assertClose("input gradient of the DOUBLE batch", fromDoubles, dx, 1e-6);

        double[] analytic = Tensors.doubles(dx);
        double[] point = Tensors.doubles(b.x());
        double[] g = Tensors.doubles(b.g());
        double rounding = rounding(model.score(b.x(), b.sigma(), b.labels()), g);
        long[] shape = b.x().shape();
        ToDoubleFunction<float[]> f = p -> dot(Tensors.doubles(model.score(Tensors.array(p, DataType.FLOAT, shape),
                b.sigma(), b.labels())), g);
        assertDirectionalDerivatives("∂(Σ g⊙s)/∂x", point, analytic, directions(analytic, SEED + 11),
                1e-2 * rms(point), rounding, f);
    }

    /**
     * Labels: null and all-{@link ConditionalScore#UNCONDITIONAL} labels give the same scores; an unconditional model
     * refuses a label ≥ 0; a conditional one refuses labels outside [0, C) ∪ {−1} and a label array of the wrong
     * length, and gives different scores for different labels (with perturbed parameters), in training mode too.
     */
    public static void assertLabels(ModelBlueprint blueprint, ModelSpec spec) {
        ScoreModel model = blueprint.build(spec);
        model.setParameters(perturbed(model.parameters(), SEED + 12));
        Batch b = batch(spec, SEED + 13);
        int[] unconditional = new int[ROWS];
        Arrays.fill(unconditional, ConditionalScore.UNCONDITIONAL);
        INDArray withNull = model.score(b.x(), b.sigma(), null);
        assertSame("scores with all labels −1 against null labels", model.score(b.x(), b.sigma(), unconditional),
                withNull);
        assertSame("score(x, σ) against null labels", model.score(b.x(), b.sigma()), withNull);
        int classes = spec.classes();
        if (classes == 0) {
            assertThatThrownBy(() -> model.score(b.x(), b.sigma(), new int[] {0, -1, -1, -1}))
                    .as("an unconditional model given label 0").isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> model.forward(b.x(), b.sigma(), new int[] {-1, -1, -1, 1}))
                    .as("an unconditional model trained with label 1").isInstanceOf(IllegalArgumentException.class);
            return;
        }
        for (int[] bad : List.of(new int[] {0, 0, 0, classes}, new int[] {0, -2, 0, 0}, new int[] {0, 0, 0})) {
            assertThatThrownBy(() -> model.score(b.x(), b.sigma(), bad)).as("labels %s for %d classes",
                    Arrays.toString(bad), classes).isInstanceOf(IllegalArgumentException.class);
        }
        double scale = 1 + maxAbs(withNull);
        for (int y = 0; y < Math.min(classes, 3); y++) {
            int[] labels = new int[ROWS];
            Arrays.fill(labels, y);
            INDArray given = model.score(b.x(), b.sigma(), labels);
            assertThat(maxAbs(given.sub(withNull))).as("how much label %d changes the unconditional scores", y)
                    .isGreaterThan(1e-5 * scale);
            assertClose("training scores with label " + y, model.forward(b.x(), b.sigma(), labels).scores(), given,
                    1e-5);
            if (y > 0) {
                int[] previous = new int[ROWS];
                Arrays.fill(previous, y - 1);
                assertThat(maxAbs(given.sub(model.score(b.x(), b.sigma(), previous))))
                        .as("how much label %d changes the scores of label %d", y, y - 1).isGreaterThan(1e-5 * scale);
            }
        }
        // Rows are scored independently: a mixed batch gives each row the score of its label.
        INDArray mixed = model.score(b.x(), b.sigma(), b.labels());
        for (int i = 0; i < ROWS; i++) {
            int[] same = new int[ROWS];
            Arrays.fill(same, b.labels()[i]);
            assertClose("row " + i + " of a batch of mixed labels", mixed.slice(i),
                    model.score(b.x(), b.sigma(), same).slice(i), 1e-5);
        }
    }

    /**
     * The blueprint's footprint counts exactly the parameters the model has and some activations per example.
     */
    public static void assertFootprint(ModelBlueprint blueprint, ModelSpec spec) {
        ModelFootprint footprint = blueprint.footprint(spec);
        ScoreModel model = blueprint.build(spec);
        assertThat(footprint.parameters()).as("footprint's parameters against parameterCount()")
                .isEqualTo((double) model.parameterCount());
        assertThat(footprint.activationsPerExample()).as("footprint's activations per example").isPositive();
    }

    // ---------------------------------------------------------------------------------------------- finite differences

    /**
     * For each direction v (unit RMS), with x₊ and x₋ the float points nearest to x ± h·v and Δ = x₊ − x₋ (exact in
     * double, so that the float rounding of the step does not count as error): the numeric derivative
     * (f(x₊) − f(x₋))/‖Δ‖ must match the analytic ∇f·Δ/‖Δ‖ at step h/2 within
     * <ul>
     * <li>the rounding of f, 2·{@code rounding}/‖Δ‖ (f's error bound, twice, over the step),</li>
     * <li>twice the change of the numeric derivative between steps h and h/2 (the truncation error at h/2 is a third
     * of that change for a smooth f, whatever its third derivative), and</li>
     * <li>10⁻⁴ of the derivative (the float rounding of the analytic gradient itself).</li>
     * </ul>
     * At least half the directions must be resolved to 5 % (a tolerance under 5 % of the derivative), so that a noisy
     * model cannot pass vacuously.
     *
     * @param rounding a bound on the float rounding error of one evaluation of f
     */
    private static void assertDirectionalDerivatives(String what, double[] point, double[] analytic,
                                                     List<double[]> directions, double step, double rounding,
                                                     ToDoubleFunction<float[]> f) {
        assertThat(step).as("finite-difference step for %s", what).isPositive();
        int resolved = 0;
        List<String> report = new ArrayList<>();
        for (int k = 0; k < directions.size(); k++) {
            double[] v = directions.get(k);
            Estimate coarse = estimate(point, analytic, v, step, rounding, f);
            Estimate fine = estimate(point, analytic, v, step / 2, rounding, f);
            double tolerance = fine.noise() + 2 * Math.abs(coarse.numeric() - fine.numeric())
                    + 1e-4 * Math.abs(fine.analytic());
            String line = String.format(Locale.ROOT, "direction %d: analytic %.6g, numeric %.6g (step h: %.6g), "
                            + "tolerance %.3g", k, fine.analytic(), fine.numeric(), coarse.numeric(), tolerance);
            report.add(line);
            assertThat(Math.abs(fine.numeric() - fine.analytic())).as("%s along %s", what, line)
                    .isLessThanOrEqualTo(tolerance);
            if (tolerance < 0.05 * Math.abs(fine.analytic())) {
                resolved++;
            }
        }
        assertThat(resolved).as("directions of %s resolved to 5%%: %s", what, report)
                .isGreaterThanOrEqualTo((directions.size() + 1) / 2);
    }

    /** The derivative along one direction, numeric and analytic, for one step; see {@link #assertDirectionalDerivatives}. */
    private record Estimate(double numeric, double analytic, double noise) {
    }

    private static Estimate estimate(double[] point, double[] analytic, double[] v, double h, double rounding,
                                     ToDoubleFunction<float[]> f) {
        float[] plus = new float[point.length];
        float[] minus = new float[point.length];
        double norm = 0;
        double along = 0;
        for (int i = 0; i < point.length; i++) {
            plus[i] = (float) (point[i] + h * v[i]);
            minus[i] = (float) (point[i] - h * v[i]);
            double delta = (double) plus[i] - minus[i];
            norm += delta * delta;
            along += analytic[i] * delta;
        }
        norm = Math.sqrt(norm);
        assertThat(norm).as("a finite-difference step that survives float rounding").isPositive();
        double difference = f.applyAsDouble(plus) - f.applyAsDouble(minus);
        return new Estimate(difference / norm, along / norm, 2 * rounding / norm);
    }

    /**
     * Directions of unit RMS: dense normal, the analytic gradient, and normal on each of 16 contiguous
     * blocks that split the coordinates (fewer where there are fewer coordinates).
     */
    private static List<double[]> directions(double[] analytic, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = analytic.length;
        List<double[]> out = new ArrayList<>();
        double[] dense = new double[n];
        for (int i = 0; i < n; i++) {
            dense[i] = normal(random);
        }
        out.add(unitRms(dense));
        assertThat(rms(analytic)).as("the analytic gradient's size").isPositive();
        out.add(unitRms(analytic.clone()));
        int blocks = Math.min(BLOCKS, n);
        for (int b = 0; b < blocks; b++) {
            double[] v = new double[n];
            for (int i = (int) ((long) n * b / blocks); i < (long) n * (b + 1) / blocks; i++) {
                v[i] = normal(random);
            }
            out.add(unitRms(v));
        }
        return out;
    }

    private static double[] unitRms(double[] v) {
        double rms = rms(v);
        return rms > 0 ? Arrays.stream(v).map(a -> a / rms).toArray() : v;
    }

    /** A bound on the float rounding of Σ g⊙s: {@link #ROUNDING} × Σ |g_i|·max(|s_i|, rms(s)). */
    private static double rounding(INDArray scores, double[] g) {
        double[] s = Tensors.doubles(scores);
        double rms = rms(s);
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            sum += Math.abs(g[i]) * Math.max(Math.abs(s[i]), rms);
        }
        return ROUNDING * sum;
    }

    // ---------------------------------------------------------------------------------------------- inputs

    /** A batch: x [ROWS, shape...] FLOAT, σ [ROWS], one label per row (null for an unconditional spec), g like x. */
    private record Batch(INDArray x, INDArray sigma, int[] labels, INDArray g) {
    }

    private static Batch batch(ModelSpec spec, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] shape = new long[spec.exampleShape().length + 1];
        shape[0] = ROWS;
        System.arraycopy(spec.exampleShape(), 0, shape, 1, shape.length - 1);
        int d = Math.toIntExact(Arrays.stream(spec.exampleShape()).reduce(1, (a, b) -> a * b));
        double s = spec.dataScale();
        double[] sigmas = {0.2 * s, 0.7 * s, 1.5 * s, 4 * s};
        float[] x = new float[ROWS * d];
        float[] g = new float[ROWS * d];
        for (int i = 0; i < ROWS; i++) {
            double spread = Math.sqrt(s * s + sigmas[i] * sigmas[i]);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (spread * normal(random));
                g[i * d + j] = (float) normal(random);
            }
        }
        int[] labels = null;
        int classes = spec.classes();
        if (classes > 0) {
            labels = new int[] {0, ConditionalScore.UNCONDITIONAL, classes - 1, random.nextInt(classes)};
        }
        return new Batch(Tensors.array(x, DataType.FLOAT, shape), Tensors.array(sigmas, DataType.FLOAT, ROWS), labels,
                Tensors.array(g, DataType.FLOAT, shape));
    }

    /** θ + 0.1·rms(θ)·z, z standard normal: every parameter moved, none far. */
    private static INDArray perturbed(INDArray theta, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = Tensors.doubles(theta);
        double scale = 0.1 * Math.max(rms(values), 1e-3);
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (values[i] + scale * normal(random));
        }
        return Nd4j.createFromArray(out);
    }

    // ---------------------------------------------------------------------------------------------- arithmetic

    private static double normal(SplittableRandom random) {
        // Box–Muller: the JDK 17 SplittableRandom has no nextGaussian.
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double rms(double[] a) {
        return a.length == 0 ? 0 : Math.sqrt(dot(a, a) / a.length);
    }

    private static double maxAbs(INDArray a) {
        return Arrays.stream(Tensors.doubles(a)).map(Math::abs).max().orElse(0);
    }

    /** The same shape and exactly the same values. */
    private static void assertSame(String what, INDArray actual, INDArray expected) {
        assertThat(actual.shape()).as("%s: shape", what).containsExactly(expected.shape());
        assertThat(Tensors.doubles(actual)).as(what).containsExactly(Tensors.doubles(expected));
    }

    /** max |actual − expected| ≤ tolerance × (max |expected| + 10⁻⁶), the shapes equal. */
    private static void assertClose(String what, INDArray actual, INDArray expected, double tolerance) {
        assertThat(actual.shape()).as("%s: shape", what).containsExactly(expected.shape());
        double[] a = Tensors.doubles(actual);
        double[] e = Tensors.doubles(expected);
        double error = 0;
        for (int i = 0; i < a.length; i++) {
            error = Math.max(error, Math.abs(a[i] - e[i]));
        }
        double bound = tolerance * (Arrays.stream(e).map(Math::abs).max().orElse(0) + 1e-6);
        assertThat(error).as("%s: max error (max |expected| %s)", what, bound / tolerance)
                .isLessThanOrEqualTo(bound);
    }
}
