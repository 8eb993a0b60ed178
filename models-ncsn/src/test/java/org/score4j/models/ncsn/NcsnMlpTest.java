package org.score4j.models.ncsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.score4j.api.ConditionalScore;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;
import org.score4j.api.ScoreModel;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.spi.ModelBlueprint;
import org.score4j.api.spi.ModelFootprint;
import org.score4j.api.spi.ModelSpec;
import org.score4j.api.spi.Settings;
import org.score4j.testkit.ComponentContract;
import org.score4j.testkit.ModelContract;

class NcsnMlpTest {
    private static final NoiseSchedule LEVELS = NoiseSchedule.of(4, 1, 0.25);
    private static final MlpArchitecture SMALL = new MlpArchitecture(16, 2, "swish", 4, true, true);

    @Test
    void meetsTheModelContract() {
        ModelContract.assertContract(new MlpBlueprint(SMALL), spec(3, 0));
    }

    @Test
    void meetsTheModelContractConditionedOnClasses() {
        ModelContract.assertContract(new MlpBlueprint(SMALL), new ModelSpec(new long[] {3}, 1.5, 4, 5));
    }

    @Test
    void meetsTheModelContractOnImagesWithoutScaling() {
        ModelContract.assertContract(new MlpBlueprint(new MlpArchitecture(8, 3, "softplus", 0, false, false)),
                new ModelSpec(new long[] {1, 3, 2}, 0.5, 1, 2));
    }

    @Test
    void lossGradientMatchesFiniteDifferencesOfTheLoss() {
        NcsnMlp model = NcsnMlp.create(SMALL, spec(3, 0));
        Objective.Batch batch = new DenoisingTarget().prepare(new SeededRandom(1).normal(8, 3), LEVELS,
                new SeededRandom(2));
        FiniteDifferences.assertGradientMatches(model, batch, FiniteDifferences.meanGradient(model, batch), 37, 1e-2);
    }

    @Test
    void startsFromTheParametersItAlwaysHadForASeed() {
        // Recorded from the DL4J MultiLayerNetwork the model kept before API 2.0 (commit 16a85e3).
        float[] seed0 = NcsnMlp.create(SMALL, spec(3, 0)).parameters().toFloatVector();
        float[] seed5 = NcsnMlp.create(SMALL, spec(3, 5)).parameters().toFloatVector();
        assertThat(seed0).hasSize(467).startsWith(0.5721263f, 0.44921303f, -0.22570734f, -0.06313124f, 0.012567351f,
                -0.5163522f, -0.119398296f, -0.2283625f);
        assertThat(seed5).startsWith(0.10765602f, -0.10934153f, -0.017249834f, -0.14107062f, 0.36392936f,
                0.07288449f, 0.09994526f, -0.17308167f);
        INDArray standard = NcsnMlp.create(new MlpArchitecture(128, 3, "swish", 8, true, true),
                new ModelSpec(new long[] {2}, 1, 42)).parameters();
        assertThat(standard.length()).isEqualTo(34818);
        assertThat(standard.getFloat(1000)).isEqualTo(0.125166297f);
        assertThat(standard.sumNumber().doubleValue()).isCloseTo(11.7473581182, Offset.offset(1e-4));
        // ND4J's generator seeded with 0 gives different parameters at every call; the model must not.
        assertThat(NcsnMlp.create(SMALL, spec(3, 0)).parameters().toFloatVector()).containsExactly(seed0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"swish", "relu", "softplus", "tanh", "elu"})
    void computesWhatDl4jDenseLayersComputeOnTheSameParameters(String activation) {
        NcsnMlp model = NcsnMlp.create(new MlpArchitecture(16, 3, activation, 4, true, false), spec(3, 0));
        MultiLayerNetwork dl4j = dl4j(new int[] {8, 16, 16, 16, 3}, activation);
        dl4j.setParams(model.parameters().reshape(1, model.parameterCount()));
        INDArray x = new SeededRandom(4).normal(6, 3);
        INDArray sigma = Nd4j.createFromArray(0.3f, 1f, 1f, 2f, 4f, 0.5f);
        INDArray expected = dl4j.output(model.features(x, sigma, null), false);
        assertThat(model.forward(x, sigma, null).scores().sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5);
        // Scoring takes the inference path (the fused swish where that is the activation).
        assertThat(model.score(x, sigma, null).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    @Test
    void scoresOneRowAndArraysInAnyLayout() {
        NcsnMlp model = NcsnMlp.create(SMALL, spec(3, 0));
        INDArray x = new SeededRandom(4).normal(5, 3);
        INDArray sigma = Nd4j.createFromArray(0.3f, 1f, 1f, 2f, 4f);
        INDArray all = model.score(x, sigma);
        assertThat(model.score(x.dup('f'), sigma).sub(all).amaxNumber().doubleValue()).isLessThan(1e-6);
        for (int i = 0; i < 5; i++) {
            INDArray one = model.score(x.getRow(i, true), sigma.get(NDArrayIndex.interval(i, i + 1)));
            assertThat(one.sub(all.getRow(i, true)).amaxNumber().doubleValue()).isLessThan(1e-6);
        }
    }

    @Test
    void writesTheGradientIntoAnyArrayOfPValuesAndReusesNone() {
        NcsnMlp model = NcsnMlp.create(SMALL, spec(3, 0));
        Objective.Batch batch = new DenoisingTarget().prepare(new SeededRandom(1).normal(8, 3), LEVELS,
                new SeededRandom(2));
        INDArray g = batch.loss(model.score(batch.inputs(), batch.sigmas())).scoreGradient();
        INDArray dense = Nd4j.create(DataType.FLOAT, model.parameterCount());
        model.forward(batch.inputs(), batch.sigmas(), null).backward(g, dense);
        // A double array, a column, and a strided view of a larger array: the same values.
        INDArray doubles = Nd4j.create(DataType.DOUBLE, model.parameterCount());
        INDArray column = Nd4j.create(DataType.FLOAT, model.parameterCount(), 1);
        INDArray strided = Nd4j.create(DataType.FLOAT, model.parameterCount(), 2).getColumn(1);
        for (INDArray into : new INDArray[] {doubles, column, strided, dense.dup()}) {
            model.forward(batch.inputs(), batch.sigmas(), null).backward(g, into);
            assertThat(into.castTo(DataType.FLOAT).reshape(model.parameterCount()).toFloatVector())
                    .containsExactly(dense.toFloatVector());
        }
        // Each call its own array: a second backward into another array leaves the first one as it was.
        INDArray first = dense.dup();
        model.forward(batch.inputs().mul(2), batch.sigmas(), null).backward(g, Nd4j.create(DataType.FLOAT,
                model.parameterCount()));
        assertThat(dense.toFloatVector()).containsExactly(first.toFloatVector());
        assertThatThrownBy(() -> model.forward(batch.inputs(), batch.sigmas(), null).backward(g,
                Nd4j.create(DataType.FLOAT, model.parameterCount() - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ncsn-mlp has 467 parameters");
    }

    @Test
    void aTrainingPassEndsWithTheNextForwardOrNewParameters() {
        NcsnMlp model = NcsnMlp.create(SMALL, spec(3, 0));
        INDArray x = new SeededRandom(1).normal(4, 3);
        INDArray sigma = Nd4j.valueArrayOf(4, 0.5f);
        INDArray g = new SeededRandom(2).normal(4, 3);
        INDArray into = Nd4j.create(DataType.FLOAT, model.parameterCount());
        ScoreModel.TrainingPass pass = model.forward(x, sigma, null);
        // Scoring in between leaves the pass as it was.
        INDArray expected = into.dup();
        ScoreModel.TrainingPass reference = model.forward(x, sigma, null);
        reference.backward(g, expected);
        pass = model.forward(x, sigma, null);
        model.score(x.mul(3), sigma, null);
        pass.backward(g, into);
        assertThat(into.toFloatVector()).containsExactly(expected.toFloatVector());
        ScoreModel.TrainingPass used = pass;
        assertThatThrownBy(() -> used.backward(g, into)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("this training pass is over");
        ScoreModel.TrainingPass old = model.forward(x, sigma, null);
        model.forward(x, sigma, null);
        assertThatThrownBy(() -> old.backward(g, into)).isInstanceOf(IllegalStateException.class);
        ScoreModel.TrainingPass beforeNewParameters = model.forward(x, sigma, null);
        model.setParameters(model.parameters());
        assertThatThrownBy(() -> beforeNewParameters.backward(g, into)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theInputGradientIsTheDenseStacksTimesTheInputScaling() {
        NcsnMlp model = NcsnMlp.create(SMALL, spec(3, 0));
        INDArray x = new SeededRandom(4).normal(5, 3);
        INDArray sigma = Nd4j.createFromArray(0.3f, 1f, 1f, 2f, 4f);
        INDArray g = new SeededRandom(5).normal(5, 3);
        INDArray dx = model.inputGradient(x, sigma, null, g);
        // Row i: a linear function of g_i, so the gradient of row i alone is row i of the batch's.
        for (int i = 0; i < 5; i++) {
            INDArray one = model.inputGradient(x.getRow(i, true), sigma.get(NDArrayIndex.interval(i, i + 1)), null,
                    g.getRow(i, true));
            assertThat(one.sub(dx.getRow(i, true)).amaxNumber().doubleValue()).isLessThan(1e-6);
        }
        // At σ = 1 the scaled network is the plain one (the same parameters) at x/√(1 + s²): its input gradient there,
        // times 1/√(1 + s²).
        NcsnMlp plain = NcsnMlp.create(new MlpArchitecture(16, 2, "swish", 4, false, false), spec(3, 0));
        INDArray plainGradient = plain.inputGradient(x.mul(SigmaFeatures.inputFactor(1, 1.5)), Nd4j.valueArrayOf(5, 1f),
                null, g);
        INDArray scaled = model.inputGradient(x, Nd4j.valueArrayOf(5, 1f), null, g);
        assertThat(scaled.sub(plainGradient.mul(SigmaFeatures.inputFactor(1, 1.5))).amaxNumber().doubleValue())
                .isLessThan(1e-6);
    }

    @Test
    void countsTheMultiplyAddsOfItsLayers() {
        // 3 inputs + log σ + 4 features = 8 → 16 → 16 → 3
        assertThat(NcsnMlp.create(SMALL, spec(3, 0)).forwardFlops()).hasValue(2L * (8 * 16 + 16 * 16 + 16 * 3));
        // With 5 classes: 6 label slots more at the input.
        assertThat(NcsnMlp.create(SMALL, new ModelSpec(new long[] {3}, 1, 0, 5)).forwardFlops())
                .hasValue(2L * (14 * 16 + 16 * 16 + 16 * 3));
    }

    @Test
    void theFootprintCountsParametersAndActivationsWithoutBuilding() {
        MlpBlueprint blueprint = new MlpBlueprint(SMALL);
        ModelFootprint small = blueprint.footprint(spec(3, 0));
        assertThat(small.parameters()).isEqualTo(8 * 16 + 16 + 16 * 16 + 16 + 16 * 3 + 3);
        // Input 8, per hidden layer 3 × 16, output 3 × 3.
        assertThat(small.activationsPerExample()).isEqualTo(8 + 2 * 48 + 9);
        assertThat(blueprint.footprint(new ModelSpec(new long[] {3}, 1, 0, 5)).parameters())
                .isEqualTo(14 * 16 + 16 + 16 * 16 + 16 + 16 * 3 + 3);
        // Sizes whose parameters overflow a long are counted, and refused when built.
        MlpBlueprint absurd = new MlpBlueprint(new MlpArchitecture(NcsnPlugin.MAX_HIDDEN, NcsnPlugin.MAX_LAYERS,
                "swish", 8, true, true));
        ModelSpec images = new ModelSpec(new long[] {3, 1L << 30, 1L << 30}, 1, 0, Integer.MAX_VALUE);
        ModelFootprint huge = absurd.footprint(images);
        assertThat(huge.parameters()).isGreaterThan(4e23).isFinite();
        assertThat(huge.activationsPerExample()).isGreaterThan(9e18).isFinite();
        assertThatThrownBy(() -> absurd.build(spec(2, 0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ncsn-mlp with these settings has 4.394e+12 parameters; at most 536870911 fit");
    }

    @Test
    void trainingLowersTheLossOfAGaussian() {
        NcsnMlp model = NcsnMlp.create(SMALL, spec(2, 3));
        LocalAdam adam = new LocalAdam(model, 3e-3);
        GaussianMixture g = GaussianMixture.isotropic(new double[] {1}, new double[][] {{2, -1}}, new double[] {1});
        SeededRandom rng = new SeededRandom(4);
        Objective objective = new DenoisingTarget();
        double first = 0;
        double last = 0;
        for (int step = 0; step < 300; step++) {
            double loss = adam.step(objective.prepare(g.sample(128, rng), LEVELS, rng), null).mean();
            first += step < 20 ? loss / 20 : 0;
            last += step >= 280 ? loss / 20 : 0;
        }
        // For N(μ, I) the best possible loss at level σ is d/(2(1 + σ²)); averaged over the levels ≈ 0.500.
        double optimum = (1 / 17.0 + 1 / 2.0 + 1 / 1.0625) / 3;
        assertThat(first).isGreaterThan(optimum + 0.3);
        assertThat(last).isCloseTo(optimum, Offset.offset(0.06));
    }

    @Test
    void aConditionalModelLearnsTheScoreOfEachClass() {
        // Class 0 ~ N((2, 2), I), class 1 ~ N((−2, −2), I); a fifth of the labels dropped to learn the mixture too.
        NcsnMlp model = NcsnMlp.create(SMALL, new ModelSpec(new long[] {2}, 2.2, 3, 2));
        LocalAdam adam = new LocalAdam(model, 3e-3);
        SeededRandom rng = new SeededRandom(5);
        Objective objective = new DenoisingTarget();
        for (int step = 0; step < 400; step++) {
            int[] classes = rng.integers(128, 2);
            INDArray data = rng.normal(128, 2);
            int[] labels = new int[128];
            for (int i = 0; i < 128; i++) {
                data.getRow(i).addi(classes[i] == 0 ? 2 : -2);
                labels[i] = rng.nextDouble() < 0.2 ? ConditionalScore.UNCONDITIONAL : classes[i];
            }
            adam.step(objective.prepare(data, LEVELS, rng), labels);
        }
        // At the origin and σ = 1: the class score is μ_y/(1 + σ²) = ±(1, 1); the mixture's is 0 by symmetry.
        INDArray origin = Nd4j.zeros(DataType.FLOAT, 3, 2);
        INDArray s = model.score(origin, Nd4j.ones(DataType.FLOAT, 3), new int[] {0, 1, ConditionalScore.UNCONDITIONAL});
        assertThat(s.getRow(0).toDoubleVector()).as("class 0").containsExactly(new double[] {1, 1}, Offset.offset(0.3));
        assertThat(s.getRow(1).toDoubleVector()).as("class 1").containsExactly(new double[] {-1, -1},
                Offset.offset(0.3));
        assertThat(s.getRow(2).toDoubleVector()).as("both").containsExactly(new double[] {0, 0}, Offset.offset(0.3));
    }

    @Test
    void imagesAreFlattenedAndKeepTheirShapeThroughScoresAndGradients() {
        NcsnMlp model = NcsnMlp.create(SMALL, new ModelSpec(new long[] {1, 4, 3}, 1, 1));
        assertThat(model.exampleShape()).containsExactly(1, 4, 3);
        INDArray x = new SeededRandom(4).normal(5, 1, 4, 3);
        INDArray sigma = Nd4j.valueArrayOf(5, 0.7f);
        assertThat(model.score(x, sigma).shape()).containsExactly(5, 1, 4, 3);
        // The same network on the flattened vectors: pixel k of the image is coordinate k of the vector.
        ScoreModel.TrainingPass pass = model.forward(x, sigma, null);
        assertThat(pass.scores().shape()).containsExactly(5, 1, 4, 3);
        INDArray gradient = Nd4j.create(DataType.FLOAT, model.parameterCount());
        pass.backward(pass.scores(), gradient);
        assertThat(gradient.norm2Number().doubleValue()).isPositive();
        assertThat(model.inputGradient(x, sigma, null, x).shape()).containsExactly(5, 1, 4, 3);
        assertThatThrownBy(() -> model.score(new SeededRandom(4).normal(5, 12), sigma))
                .hasMessageContaining("ncsn-mlp expects x of shape [N, 1, 4, 3]");
    }

    @Test
    void gradientsOfShardsSumToTheWholeBatchsGradient() {
        // Data-parallel training sums the parameter gradients of shards of a batch: the loss is a sum over rows, so
        // the shards' VJPs add up to the whole batch's.
        NcsnMlp whole = NcsnMlp.create(SMALL, spec(3, 0));
        NcsnMlp replica = NcsnMlp.create(SMALL, spec(3, 7));
        replica.setParameters(whole.parameters());
        Objective.Batch batch = new DenoisingTarget().prepare(new SeededRandom(1).normal(8, 3), LEVELS,
                new SeededRandom(2));
        INDArray g = batch.loss(whole.score(batch.inputs(), batch.sigmas())).scoreGradient();
        INDArray expected = Nd4j.create(DataType.FLOAT, whole.parameterCount());
        whole.forward(batch.inputs(), batch.sigmas(), null).backward(g, expected);
        INDArray sum = Nd4j.zeros(DataType.FLOAT, whole.parameterCount());
        INDArray part = Nd4j.create(DataType.FLOAT, whole.parameterCount());
        for (int half = 0; half < 2; half++) {
            var rows = NDArrayIndex.interval(4 * half, 4 * half + 4);
            replica.forward(batch.inputs().get(rows, NDArrayIndex.all()), batch.sigmas().get(rows), null)
                    .backward(g.get(rows, NDArrayIndex.all()), part);
            sum.addi(part);
        }
        assertThat(sum.toDoubleVector()).usingComparatorWithPrecision(1e-5).containsExactly(expected.toDoubleVector());
    }

    @Test
    void factoryIsWellFormedAndValidates() {
        var factory = new NcsnPlugin().models().get(0);
        ModelBlueprint blueprint = ComponentContract.assertWellFormed(factory);
        assertThat(((MlpBlueprint) blueprint).architecture()).isEqualTo(new MlpArchitecture(128, 3, "swish", 8, true,
                true));
        assertThatThrownBy(() -> factory.create(Settings.of(factory, "activation = sigmoid, embedding = 3")))
                .hasMessageContaining("ncsn-mlp.activation: expected one of swish, relu, softplus, tanh, elu, got \"sigmoid\"")
                .hasMessageContaining("ncsn-mlp.embedding: must be even, got 3");
        assertThatThrownBy(() -> factory.create(Settings.of(factory, "hidden = 1e9, layers = 100000, embedding = 4096")))
                .hasMessageContaining("ncsn-mlp.hidden: must be at most 65536, got 1000000000")
                .hasMessageContaining("ncsn-mlp.layers: must be at most 1024, got 100000")
                .hasMessageContaining("ncsn-mlp.embedding: must be at most 1024, got 4096");
    }

    private static MultiLayerNetwork dl4j(int[] widths, String activation) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list();
        Activation hidden = switch (activation) {
            case "relu" -> Activation.RELU;
            case "softplus" -> Activation.SOFTPLUS;
            case "tanh" -> Activation.TANH;
            case "elu" -> Activation.ELU;
            default -> Activation.SWISH;
        };
        for (int l = 0; l + 1 < widths.length; l++) {
            list.layer(new DenseLayer.Builder().nIn(widths[l]).nOut(widths[l + 1])
                    .activation(l + 2 < widths.length ? hidden : Activation.IDENTITY).build());
        }
        MultiLayerNetwork network = new MultiLayerNetwork(list.build());
        network.init();
        return network;
    }

    private static ModelSpec spec(int d, long seed) {
        return new ModelSpec(new long[] {d}, 1.5, seed);
    }
}
