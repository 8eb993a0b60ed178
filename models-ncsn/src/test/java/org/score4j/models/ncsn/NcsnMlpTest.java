package org.score4j.models.ncsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.spi.ModelSpec;
import org.score4j.api.spi.Settings;
import org.score4j.testkit.ComponentContract;

class NcsnMlpTest {
    private static final NoiseSchedule LEVELS = NoiseSchedule.of(4, 1, 0.25);
    private static final MlpArchitecture SMALL = new MlpArchitecture(16, 2, "swish", 4, true, true);

    @Test
    void externalErrorGradientMatchesFiniteDifferencesOfTheLoss() {
        NcsnMlp model = NcsnMlp.create(SMALL, spec(3, 0));
        INDArray data = new SeededRandom(1).normal(8, 3);
        Objective.Batch batch = new DenoisingTarget().prepare(data, LEVELS, new SeededRandom(2));
        INDArray scores = model.forwardForTraining(batch.inputs(), batch.sigmas());
        INDArray analytic = model.meanParameterGradient(batch.loss(scores).scoreGradient(), 8);
        FiniteDifferences.assertGradientMatches(model, batch, model::parametersView, analytic, 37, 1e-2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"swish", "relu", "softplus", "tanh", "elu"})
    void computesWhatDl4jDenseLayersComputeOnTheSameParameters(String activation) {
        NcsnMlp model = NcsnMlp.create(new MlpArchitecture(16, 3, activation, 4, true, false), spec(3, 0));
        INDArray x = new SeededRandom(4).normal(6, 3);
        INDArray sigma = Nd4j.createFromArray(0.3f, 1f, 1f, 2f, 4f, 0.5f);
        INDArray expected = model.network().output(model.features(x, sigma), false);
        assertThat(model.forwardForTraining(x, sigma).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5);
        // Scoring takes the inference path (the fused swish where that is the activation).
        assertThat(model.score(x, sigma).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 8, 21})
    void oneDnnSgemmFusedKernelsAndNd4jGiveTheSameForwardAndBackwardPasses(int hidden) {
        // Widths that are not a multiple of the vector length exercise the masked ends of the fused passes.
        int[] widths = {5, hidden, hidden, 3};
        INDArray flat = new SeededRandom(7).normal(new DenseStack("swish", widths).size()).muli(2);
        INDArray input = new SeededRandom(8).normal(6, 5);
        INDArray g = new SeededRandom(9).normal(6, 3);
        java.util.List<DenseStack> stacks = new java.util.ArrayList<>(java.util.List.of(
                new DenseStack(MatrixProducts.viaNd4j(), false, "swish", widths),
                new DenseStack(MatrixProducts.viaOpenBlas(), false, "swish", widths),
                new DenseStack(MatrixProducts.best(), false, "swish", widths)));
        assertThat(FusedKernels.available()).as("the tests run with the vector API, as the launcher does").isTrue();
        assertThat(MatrixProducts.best().fusesActivation()).as("the tests run with oneDNN, as the launcher does").isTrue();
        stacks.add(new DenseStack(MatrixProducts.viaOpenBlas(), true, "swish", widths));
        stacks.add(new DenseStack(MatrixProducts.best(), true, "swish", widths));
        INDArray expectedOut = null;
        INDArray expectedGradient = null;
        for (DenseStack stack : stacks) {
            DenseStack.Trace trace = new DenseStack.Trace();
            INDArray out = stack.forward(stack.views(flat), input.dup(), trace).dup();
            INDArray inference = stack.forward(stack.views(flat), input.dup(), null).dup();
            INDArray gradient = Nd4j.zeros(flat.shape());
            stack.backward(stack.views(flat), trace, g.dup(), stack.views(gradient));
            double scale = 1 + out.amaxNumber().doubleValue();
            assertThat(inference.sub(out).amaxNumber().doubleValue()).isLessThan(1e-6 * scale);
            if (expectedOut == null) {
                expectedOut = out;
                expectedGradient = gradient;
                assertThat(gradient.amaxNumber().doubleValue()).isPositive();
            }
            assertThat(out.sub(expectedOut).amaxNumber().doubleValue()).isLessThan(1e-6 * scale);
            assertThat(gradient.sub(expectedGradient).amaxNumber().doubleValue())
                    .isLessThan(1e-6 * (1 + expectedGradient.amaxNumber().doubleValue()));
        }
    }

    @Test
    void scoresOneRowAndArraysInAnyLayout() {
        NcsnMlp model = NcsnMlp.create(SMALL, spec(3, 0));
        INDArray x = new SeededRandom(4).normal(5, 3);
        INDArray sigma = Nd4j.createFromArray(0.3f, 1f, 1f, 2f, 4f);
        INDArray all = model.score(x, sigma);
        assertThat(model.score(x.dup('f'), sigma).sub(all).amaxNumber().doubleValue()).isLessThan(1e-6);
        for (int i = 0; i < 5; i++) {
            INDArray one = model.score(x.getRow(i, true), sigma.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1)));
            assertThat(one.sub(all.getRow(i, true)).amaxNumber().doubleValue()).isLessThan(1e-6);
        }
    }

    @Test
    void takesAdamStepsOnDl4jsOwnOptimizerState() throws IOException {
        // From fresh moments Adam's first update is lr·g/(|g| + ε) after bias correction: every parameter with a
        // clear gradient moves by the learning rate against its sign.
        NcsnMlp model = NcsnMlp.create(SMALL, spec(3, 0));
        Objective.Batch batch = new DenoisingTarget().prepare(new SeededRandom(1).normal(8, 3), LEVELS, new SeededRandom(2));
        INDArray g = model.meanParameterGradient(batch.loss(model.forwardForTraining(batch.inputs(), batch.sigmas()))
                .scoreGradient(), 8);
        INDArray before = model.parameters();
        step(model, batch);
        INDArray moved = model.parameters().sub(before);
        int clear = 0;
        for (int i = 0; i < g.length(); i++) {
            if (Math.abs(g.getDouble(i)) > 1e-4) {
                assertThat(moved.getDouble(i)).as("parameter " + i).isCloseTo(-3e-3 * Math.signum(g.getDouble(i)),
                        org.assertj.core.data.Offset.offset(1e-5));
                clear++;
            }
        }
        assertThat(clear).isGreaterThan((int) (g.length() / 2));
        // The moments live in DL4J's updater state, so they are saved with the model.
        assertThat(model.network().getUpdater().getStateViewArray().amaxNumber().doubleValue()).isPositive();
    }

    @Test
    void theSameSpecGivesTheSameParametersEvenWithSeedZero() {
        // ND4J's generator seeded with 0 gives different parameters at every call; the model must not.
        for (long seed : new long[] {0, 5}) {
            assertThat(NcsnMlp.create(SMALL, spec(3, seed)).parameters().toFloatVector())
                    .containsExactly(NcsnMlp.create(SMALL, spec(3, seed)).parameters().toFloatVector());
        }
        assertThat(NcsnMlp.create(SMALL, spec(3, 0)).parameters().toFloatVector())
                .isNotEqualTo(NcsnMlp.create(SMALL, spec(3, 5)).parameters().toFloatVector());
    }

    @Test
    void countsTheMultiplyAddsOfItsLayers() {
        // 3 inputs + log σ + 4 features = 8 → 16 → 16 → 3
        assertThat(NcsnMlp.create(SMALL, spec(3, 0)).forwardFlops()).hasValue(2L * (8 * 16 + 16 * 16 + 16 * 3));
    }

    @Test
    void trainingLowersTheLossOfAGaussian() {
        NcsnMlp model = NcsnMlp.create(SMALL, spec(2, 3));
        GaussianMixture g = GaussianMixture.isotropic(new double[] {1}, new double[][] {{2, -1}}, new double[] {1});
        SeededRandom rng = new SeededRandom(4);
        Objective objective = new DenoisingTarget();
        double first = 0;
        double last = 0;
        for (int step = 0; step < 300; step++) {
            Objective.Batch batch = objective.prepare(g.sample(128, rng), LEVELS, rng);
            var loss = batch.loss(model.forwardForTraining(batch.inputs(), batch.sigmas()));
            model.applyGradient(loss.scoreGradient(), 128);
            if (step < 20) {
                first += loss.mean() / 20;
            }
            if (step >= 280) {
                last += loss.mean() / 20;
            }
        }
        // For N(μ, I) the best possible loss at level σ is d/(2(1 + σ²)); averaged over the levels ≈ 0.500.
        double optimum = (1 / 17.0 + 1 / 2.0 + 1 / 1.0625) / 3;
        assertThat(first).isGreaterThan(optimum + 0.3);
        assertThat(last).isCloseTo(optimum, org.assertj.core.data.Offset.offset(0.06));
        assertThat(model.iterations()).isEqualTo(300);
    }

    @Test
    void saveAndLoadGiveIdenticalScoresAndContinueIdentically() throws IOException {
        NcsnMlp model = NcsnMlp.create(SMALL, spec(2, 5));
        SeededRandom rng = new SeededRandom(6);
        Objective objective = new DenoisingTarget();
        INDArray data = rng.normal(32, 2);
        step(model, objective.prepare(data, LEVELS, new SeededRandom(7)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        model.save(bytes);
        NcsnMlp copy = NcsnMlp.load(new ByteArrayInputStream(bytes.toByteArray()));
        INDArray x = rng.normal(10, 2);
        assertThat(copy.score(x, 0.5).data().asDouble()).containsExactly(model.score(x, 0.5).data().asDouble());
        assertThat(copy.iterations()).isEqualTo(1);
        step(model, objective.prepare(data, LEVELS, new SeededRandom(8)));
        step(copy, objective.prepare(data, LEVELS, new SeededRandom(8)));
        assertThat(copy.parameters().toDoubleVector()).containsExactly(model.parameters().toDoubleVector());
    }

    @Test
    void scoresWithTheMovingAverageOfTheParametersAndSavesIt() throws IOException {
        ModelSpec plain = spec(2, 5);
        ModelSpec averaged = new ModelSpec(new long[] {2}, 1.5, new ModelSpec.Optimizer(3e-3, 0.9, 0.999, 0, 0.9), 5);
        NcsnMlp raw = NcsnMlp.create(SMALL, plain);
        NcsnMlp ema = NcsnMlp.create(SMALL, averaged);
        Objective objective = new DenoisingTarget();
        INDArray data = new SeededRandom(6).normal(32, 2);
        INDArray start = ema.parameters();
        INDArray expected = start.dup();
        for (int t = 1; t <= 5; t++) {
            step(raw, objective.prepare(data, LEVELS, new SeededRandom(10 + t)));
            step(ema, objective.prepare(data, LEVELS, new SeededRandom(10 + t)));
            double r = Math.min(0.9, (1.0 + t) / (10.0 + t));
            expected.muli(r).addi(ema.parameters().mul(1 - r));
        }
        // Training follows the same path; only the scores come from the average.
        assertThat(ema.parameters().toDoubleVector()).containsExactly(raw.parameters().toDoubleVector());
        INDArray x = new SeededRandom(9).normal(10, 2);
        assertThat(ema.score(x, 0.5).sub(raw.score(x, 0.5)).amaxNumber().doubleValue()).isGreaterThan(1e-4);
        NcsnMlp byHand = NcsnMlp.create(SMALL, plain);
        byHand.parametersView().assign(expected);
        assertThat(ema.score(x, 0.5).sub(byHand.score(x, 0.5)).amaxNumber().doubleValue()).isLessThan(1e-6);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ema.save(bytes);
        NcsnMlp copy = NcsnMlp.load(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(copy.score(x, 0.5).data().asDouble()).containsExactly(ema.score(x, 0.5).data().asDouble());
        step(ema, objective.prepare(data, LEVELS, new SeededRandom(30)));
        step(copy, objective.prepare(data, LEVELS, new SeededRandom(30)));
        assertThat(copy.score(x, 0.5).data().asDouble()).containsExactly(ema.score(x, 0.5).data().asDouble());
    }

    @Test
    void rejectsForeignBytes() {
        assertThatThrownBy(() -> NcsnMlp.load(new ByteArrayInputStream("hello".getBytes())))
                .isInstanceOf(IOException.class).hasMessageContaining("not an ncsn-mlp model");
    }

    @Test
    void imagesAreFlattenedAndKeepTheirShapeThroughScoresGradientsAndSaving() throws IOException {
        NcsnMlp model = NcsnMlp.create(SMALL, new ModelSpec(new long[] {1, 4, 3}, 1,
                new ModelSpec.Optimizer(1e-3, 0.9, 0.999, 0), 1));
        assertThat(model.exampleShape()).containsExactly(1, 4, 3);
        INDArray x = new SeededRandom(4).normal(5, 1, 4, 3);
        INDArray sigma = Nd4j.valueArrayOf(5, 0.7f);
        INDArray score = model.score(x, sigma);
        assertThat(score.shape()).containsExactly(5, 1, 4, 3);
        // The same network on the flattened vectors: pixel k of the image is coordinate k of the vector.
        INDArray out = model.forwardForTraining(x, sigma);
        assertThat(out.shape()).containsExactly(5, 1, 4, 3);
        assertThat(model.applyGradient(out, 5)).isPositive();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        model.save(bytes);
        NcsnMlp copy = NcsnMlp.load(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(copy.exampleShape()).containsExactly(1, 4, 3);
        assertThat(copy.score(x, sigma).data().asDouble()).containsExactly(model.score(x, sigma).data().asDouble());
        assertThatThrownBy(() -> model.score(new SeededRandom(4).normal(5, 12), sigma))
                .hasMessageContaining("ncsn-mlp expects x of shape [N, 1, 4, 3]");
    }

    @Test
    void factoryIsWellFormedAndValidates() {
        var factory = new NcsnPlugin().models().get(0);
        ComponentContract.assertWellFormed(factory);
        assertThatThrownBy(() -> factory.create(Settings.of(factory, "activation = sigmoid, embedding = 3")))
                .hasMessageContaining("ncsn-mlp.activation: expected one of swish, relu, softplus, tanh, elu, got \"sigmoid\"")
                .hasMessageContaining("ncsn-mlp.embedding: must be even, got 3");
    }

    @Test
    void dataParallelShardsSumToTheWholeBatchStep() {
        // Two replicas holding the same parameters, each with half the batch: their summed gradients, applied as a
        // mean, move the parameters as one model stepping on the whole batch does.
        NcsnMlp whole = NcsnMlp.create(SMALL, spec(3, 0));
        NcsnMlp driver = NcsnMlp.create(SMALL, spec(3, 0));
        NcsnMlp replica = NcsnMlp.create(SMALL, spec(3, 7));
        assertThat(whole.dataParallel()).isTrue();
        driver.setParameters(whole.parameters());
        replica.setParameters(driver.parameters());
        assertThat(replica.parameters().toFloatVector()).containsExactly(driver.parameters().toFloatVector());

        Objective.Batch batch = new DenoisingTarget().prepare(new SeededRandom(1).normal(8, 3), LEVELS, new SeededRandom(2));
        step(whole, batch);
        INDArray sum = Nd4j.zeros(DataType.FLOAT, driver.parameterCount());
        for (int half = 0; half < 2; half++) {
            INDArray rows = batch.inputs().get(NDArrayIndex.interval(4 * half, 4 * half + 4), NDArrayIndex.all());
            INDArray sigmas = batch.sigmas().get(NDArrayIndex.interval(4 * half, 4 * half + 4));
            INDArray scores = replica.forwardForTraining(rows, sigmas);
            // The loss is a sum over rows, so this half's rows of the gradient depend on this half's scores only.
            INDArray all = Nd4j.zeros(DataType.FLOAT, batch.inputs().shape());
            all.get(NDArrayIndex.interval(4 * half, 4 * half + 4), NDArrayIndex.all()).assign(scores);
            INDArray g = batch.loss(all).scoreGradient().get(NDArrayIndex.interval(4 * half, 4 * half + 4), NDArrayIndex.all());
            sum.addi(replica.parameterGradient(g));
        }
        driver.applyParameterGradient(sum.divi(8));
        assertThat(driver.parameters().toDoubleVector()).usingComparatorWithPrecision(1e-6)
                .containsExactly(whole.parameters().toDoubleVector());
        assertThat(driver.iterations()).isEqualTo(1);
        assertThat(replica.iterations()).isZero();
    }

    @Test
    void aTrainingStateCarriesParametersAdamAndTheMovingAverage() {
        ModelSpec withAverage = new ModelSpec(new long[] {3}, 1.5, new ModelSpec.Optimizer(3e-3, 0.9, 0.999, 0, 0.9), 0);
        NcsnMlp source = NcsnMlp.create(SMALL, withAverage);
        Objective.Batch[] batches = new Objective.Batch[3];
        for (int i = 0; i < 3; i++) {
            batches[i] = new DenoisingTarget().prepare(new SeededRandom(10 + i).normal(8, 3), LEVELS, new SeededRandom(20 + i));
        }
        step(source, batches[0]);
        step(source, batches[1]);
        // Parameters, Adam's two moments, the moving average.
        assertThat(source.trainingState().length()).isEqualTo(4 * source.parameterCount());

        NcsnMlp copy = NcsnMlp.create(SMALL, new ModelSpec(new long[] {3}, 1.5, new ModelSpec.Optimizer(3e-3, 0.9, 0.999, 0, 0.9), 5));
        copy.setTrainingState(source.trainingState(), source.iterations());
        NcsnMlp parametersOnly = NcsnMlp.create(SMALL, withAverage);
        parametersOnly.setParameters(source.parameters());
        assertThat(copy.iterations()).isEqualTo(2);
        step(source, batches[2]);
        step(copy, batches[2]);
        step(parametersOnly, batches[2]);
        assertThat(copy.trainingState().toFloatVector()).containsExactly(source.trainingState().toFloatVector());
        INDArray x = new SeededRandom(3).normal(5, 3);
        INDArray sigma = Nd4j.valueArrayOf(new long[] {5}, 1.4f);
        assertThat(copy.score(x, sigma).ravel().toFloatVector()).containsExactly(source.score(x, sigma).ravel().toFloatVector());
        // Without Adam's moments and the step count, the same step goes elsewhere.
        assertThat(parametersOnly.parameters().toFloatVector()).isNotEqualTo(source.parameters().toFloatVector());

        assertThatThrownBy(() -> copy.setTrainingState(Nd4j.zeros(DataType.FLOAT, 7), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("training state has");
    }

    private static void step(NcsnMlp model, Objective.Batch batch) {
        var loss = batch.loss(model.forwardForTraining(batch.inputs(), batch.sigmas()));
        model.applyGradient(loss.scoreGradient(), batch.levels().length);
    }

    private static ModelSpec spec(int d, long seed) {
        return new ModelSpec(new long[] {d}, 1.5, new ModelSpec.Optimizer(3e-3, 0.9, 0.999, 0), seed);
    }
}
