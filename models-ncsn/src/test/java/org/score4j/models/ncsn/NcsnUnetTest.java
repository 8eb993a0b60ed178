package org.score4j.models.ncsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.spi.ModelSpec;
import org.score4j.api.spi.Settings;
import org.score4j.testkit.ComponentContract;

class NcsnUnetTest {
    private static final NoiseSchedule LEVELS = NoiseSchedule.of(4, 1, 0.25);
    private static final UnetArchitecture TINY = new UnetArchitecture(4, List.of(1, 2), 1, "bias", 4, true, true);

    @ParameterizedTest(name = "{0}×{1}×{2}, multipliers {3}")
    @CsvSource({"1, 28, 28, 1-2-2", "3, 32, 32, 1-2-2-2", "3, 8, 12, 1-2", "2, 6, 10, 1", "1, 16, 16, 1-1-2-2-2"})
    void scoresAndGradientsKeepTheImageShape(int channels, int height, int width, String multipliers) {
        UnetArchitecture arch = new UnetArchitecture(4, java.util.Arrays.stream(multipliers.split("-"))
                .map(Integer::valueOf).toList(), 1, "bias", 4, true, true);
        NcsnUnet model = NcsnUnet.create(arch, spec(new long[] {channels, height, width}, 1, 0));
        INDArray x = new SeededRandom(1).normal(3, channels, height, width);
        INDArray sigma = Nd4j.createFromArray(0.1f, 1f, 5f);
        assertThat(model.exampleShape()).containsExactly(channels, height, width);
        assertThat(model.score(x, sigma).shape()).containsExactly(3, channels, height, width);
        INDArray out = model.forwardForTraining(x, sigma);
        assertThat(out.shape()).containsExactly(3, channels, height, width);
        // The output convolution starts at zero: the first scores are 0, the first gradient is not.
        assertThat(out.amaxNumber().doubleValue()).isZero();
        assertThat(model.applyGradient(new SeededRandom(2).normal(3, channels, height, width), 3)).isPositive();
        assertThat(model.score(x, sigma).amaxNumber().doubleValue()).isPositive();
        assertThat(model.iterations()).isEqualTo(1);
        assertThat(model.parameterCount()).isEqualTo(model.parameters().length());
    }

    @Test
    void countsTheMultiplyAddsOfItsConvolutionsAndDenseLayers() {
        // One level of 4 channels on 1×8×8 (64 pixels), no σ conditioning. Multiply-adds per pixel: input conv 9·1·4,
        // down block 2·9·4·4, middle block 2·9·4·4, up block (8 → 4) 9·8·4 + 9·4·4 + 1·8·4, output conv 9·4·1.
        NcsnUnet plain = NcsnUnet.create(new UnetArchitecture(4, List.of(1), 1, "none", 0, true, true),
                spec(new long[] {1, 8, 8}, 1, 0));
        long macs = 64L * (36 + 288 + 288 + 288 + 144 + 32 + 36);
        assertThat(plain.forwardFlops()).hasValue(2 * macs);
        // Two levels: the second runs at 4×4 and the stride-2 convolution produces 4×4 outputs; the σ bias adds
        // dense layers (5 → 16, then 16 → width per block).
        NcsnUnet two = NcsnUnet.create(new UnetArchitecture(4, List.of(1, 2), 1, "bias", 4, true, true),
                spec(new long[] {1, 8, 8}, 1, 0));
        long full = 64L * (36 + 288 + 288 + 144 + 32 + 36 + 9 * 8 * 4 /* upsample conv, 8 → 4 channels at 8×8 */);
        long half = 16L * (9 * 4 * 4 /* downsample */ + 9 * 4 * 8 + 9 * 8 * 8 + 1 * 4 * 8 /* down1 */
                + 2 * 9 * 8 * 8 /* middle */ + 9 * 16 * 8 + 9 * 8 * 8 + 1 * 16 * 8 /* up1 */);
        long dense = 5 * 16 + 16 * (4 + 8 + 8 + 8 + 4);
        assertThat(two.forwardFlops()).hasValue(2 * (full + half + dense));
    }

    @Test
    void refusesImagesItCannotHalveAndNamesTheFix() {
        assertThatThrownBy(() -> NcsnUnet.create(new UnetArchitecture(4, List.of(1, 2, 2), 1, "bias", 4, true, true),
                spec(new long[] {1, 30, 30}, 1, 0)))
                .hasMessageContaining("height and width must be divisible by 4, got 30×30; use fewer multipliers");
        assertThatThrownBy(() -> NcsnUnet.create(TINY, spec(new long[] {2}, 1, 0)))
                .hasMessageContaining("ncsn-unet needs images of shape [channels, height, width], got [2]");
        NcsnUnet model = NcsnUnet.create(TINY, spec(new long[] {1, 4, 4}, 1, 0));
        assertThatThrownBy(() -> model.score(Nd4j.zeros(2, 1, 4, 6), Nd4j.ones(2)))
                .hasMessageContaining("ncsn-unet expects x of shape [N, 1, 4, 4] and σ of shape [N], got [2, 1, 4, 6]");
    }

    @Test
    void denoisingGradientMatchesFiniteDifferencesOfTheLoss() {
        for (String conditioning : List.of("bias", "none")) {
            UnetArchitecture arch = new UnetArchitecture(3, List.of(1, 2), 1, conditioning, 4, true, true);
            NcsnUnet model = NcsnUnet.create(arch, spec(new long[] {2, 4, 4}, 1, 3));
            INDArray data = new SeededRandom(1).normal(6, 2, 4, 4);
            Objective.Batch batch = new DenoisingTarget().prepare(data, LEVELS, new SeededRandom(2));
            INDArray scores = model.forwardForTraining(batch.inputs(), batch.sigmas());
            INDArray analytic = model.meanParameterGradient(batch.loss(scores).scoreGradient(), 6);
            FiniteDifferences.assertGradientMatches(model, batch, model::parametersView, analytic, 29, 1e-2);
        }
    }

    @Test
    void trainingLowersTheDenoisingLoss() {
        NcsnUnet model = NcsnUnet.create(new UnetArchitecture(8, List.of(1, 2), 1, "bias", 4, true, true),
                spec(new long[] {1, 8, 8}, 0.5, 3));
        SeededRandom rng = new SeededRandom(4);
        // Images with one bright square at a random place: a structured distribution a U-Net can learn.
        Objective objective = new DenoisingTarget();
        double first = 0;
        double last = 0;
        for (int step = 0; step < 150; step++) {
            Objective.Batch batch = objective.prepare(squares(32, rng), LEVELS, rng);
            var loss = batch.loss(model.forwardForTraining(batch.inputs(), batch.sigmas()));
            model.applyGradient(loss.scoreGradient(), 32);
            first += step < 10 ? loss.mean() / 10 : 0;
            last += step >= 140 ? loss.mean() / 10 : 0;
        }
        // The loss of the zero score is ½·64 = 32 per example; a learned denoiser does clearly better.
        assertThat(first).isGreaterThan(last * 1.3);
        assertThat(last).isLessThan(25);
    }

    @Test
    void saveAndLoadGiveIdenticalScoresAndContinueIdentically() throws IOException {
        ModelSpec spec = new ModelSpec(new long[] {1, 8, 8}, 1, new ModelSpec.Optimizer(1e-3, 0.9, 0.999, 1, 0.9), 5);
        NcsnUnet model = NcsnUnet.create(TINY, spec);
        Objective objective = new DenoisingTarget();
        INDArray data = new SeededRandom(6).normal(4, 1, 8, 8);
        step(model, objective.prepare(data, LEVELS, new SeededRandom(7)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        model.save(bytes);
        NcsnUnet copy = NcsnUnet.load(new ByteArrayInputStream(bytes.toByteArray()));
        INDArray x = new SeededRandom(8).normal(3, 1, 8, 8);
        INDArray sigma = Nd4j.createFromArray(0.3f, 1f, 3f);
        assertThat(copy.score(x, sigma).data().asDouble()).containsExactly(model.score(x, sigma).data().asDouble());
        assertThat(copy.iterations()).isEqualTo(1);
        step(model, objective.prepare(data, LEVELS, new SeededRandom(9)));
        step(copy, objective.prepare(data, LEVELS, new SeededRandom(9)));
        assertThat(copy.parameters().toDoubleVector()).containsExactly(model.parameters().toDoubleVector());
        assertThat(copy.score(x, sigma).data().asDouble()).containsExactly(model.score(x, sigma).data().asDouble());
        assertThatThrownBy(() -> NcsnUnet.load(new ByteArrayInputStream("hello".getBytes())))
                .isInstanceOf(IOException.class).hasMessageContaining("not an ncsn-unet model");
    }

    @Test
    void scoresWithTheMovingAverageOfTheParameters() {
        ModelSpec averaged = new ModelSpec(new long[] {1, 4, 4}, 1, new ModelSpec.Optimizer(3e-3, 0.9, 0.999, 0, 0.9), 5);
        NcsnUnet ema = NcsnUnet.create(TINY, averaged);
        NcsnUnet raw = NcsnUnet.create(TINY, spec(new long[] {1, 4, 4}, 1, 5));
        INDArray expected = ema.parameters();
        INDArray data = new SeededRandom(6).normal(8, 1, 4, 4);
        for (int t = 1; t <= 4; t++) {
            step(ema, new DenoisingTarget().prepare(data, LEVELS, new SeededRandom(10 + t)));
            step(raw, new DenoisingTarget().prepare(data, LEVELS, new SeededRandom(10 + t)));
            double r = Math.min(0.9, (1.0 + t) / (10.0 + t));
            expected.muli(r).addi(ema.parameters().mul(1 - r));
        }
        assertThat(ema.parameters().toDoubleVector()).containsExactly(raw.parameters().toDoubleVector());
        INDArray x = new SeededRandom(9).normal(2, 1, 4, 4);
        INDArray sigma = Nd4j.createFromArray(0.5f, 0.5f);
        assertThat(ema.score(x, sigma).sub(raw.score(x, sigma)).amaxNumber().doubleValue()).isGreaterThan(1e-4);
        raw.parametersView().assign(expected);
        assertThat(ema.score(x, sigma).sub(raw.score(x, sigma)).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    @Test
    void factoryIsWellFormedAndValidates() {
        var factory = new NcsnPlugin().models().get(1);
        assertThat(factory.name()).isEqualTo("ncsn-unet");
        ComponentContract.assertWellFormed(factory);
        assertThatThrownBy(() -> factory.create(Settings.of(factory,
                "conditioning = film, multipliers = [1, 1.5], embedding = 3")))
                .hasMessageContaining("ncsn-unet.conditioning: expected one of bias, none, got \"film\"")
                .hasMessageContaining("ncsn-unet.multipliers: must be whole numbers >= 1, got 1.5")
                .hasMessageContaining("ncsn-unet.embedding: must be even, got 3");
    }

    @Test
    void dataParallelShardsAndTrainingStatesMatchOneModel() {
        long[] shape = {1, 8, 8};
        ModelSpec withAverage = new ModelSpec(shape, 1, new ModelSpec.Optimizer(3e-3, 0.9, 0.999, 0, 0.9), 0);
        NcsnUnet whole = NcsnUnet.create(TINY, withAverage);
        NcsnUnet driver = NcsnUnet.create(TINY, withAverage);
        NcsnUnet replica = NcsnUnet.create(TINY, spec(shape, 1, 7));
        assertThat(whole.dataParallel()).isTrue();
        replica.setParameters(driver.parameters());
        Objective.Batch batch = new DenoisingTarget().prepare(squares(6, new SeededRandom(1)), LEVELS, new SeededRandom(2));
        step(whole, batch);
        // Two replicas' gradients of half the batch each, summed and applied as a mean: the whole batch's step.
        INDArray sum = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, driver.parameterCount());
        for (int half = 0; half < 2; half++) {
            var rows = org.nd4j.linalg.indexing.NDArrayIndex.interval(3 * half, 3 * half + 3);
            INDArray scores = replica.forwardForTraining(batch.inputs().get(rows).dup(), batch.sigmas().get(rows).dup());
            INDArray all = Nd4j.zeros(batch.inputs().dataType(), batch.inputs().shape());
            all.get(rows).assign(scores);
            sum.addi(replica.parameterGradient(batch.loss(all).scoreGradient().get(rows).dup()));
        }
        driver.applyParameterGradient(sum.divi(6));
        assertThat(driver.parameters().toDoubleVector()).usingComparatorWithPrecision(1e-6)
                .containsExactly(whole.parameters().toDoubleVector());

        // Parameters, Adam's moments and the average: a model given them takes the next step exactly as the source.
        assertThat(whole.trainingState().length()).isEqualTo(4 * whole.parameterCount());
        NcsnUnet copy = NcsnUnet.create(TINY, new ModelSpec(shape, 1, new ModelSpec.Optimizer(3e-3, 0.9, 0.999, 0, 0.9), 3));
        copy.setTrainingState(whole.trainingState(), whole.iterations());
        Objective.Batch next = new DenoisingTarget().prepare(squares(4, new SeededRandom(3)), LEVELS, new SeededRandom(4));
        step(whole, next);
        step(copy, next);
        assertThat(copy.iterations()).isEqualTo(2);
        assertThat(copy.trainingState().toFloatVector()).containsExactly(whole.trainingState().toFloatVector());
        assertThatThrownBy(() -> copy.setTrainingState(Nd4j.zeros(5), 0)).hasMessageContaining("training state has");
    }

    private static INDArray squares(int n, SeededRandom rng) {
        INDArray images = Nd4j.zeros(n, 1, 8, 8);
        int[] rows = rng.integers(n, 6);
        int[] cols = rng.integers(n, 6);
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    images.putScalar(new long[] {i, 0, rows[i] + r, cols[i] + c}, 1.0);
                }
            }
        }
        return images;
    }

    private static void step(NcsnUnet model, Objective.Batch batch) {
        var loss = batch.loss(model.forwardForTraining(batch.inputs(), batch.sigmas()));
        model.applyGradient(loss.scoreGradient(), batch.levels().length);
    }

    private static ModelSpec spec(long[] shape, double scale, long seed) {
        return new ModelSpec(shape, scale, new ModelSpec.Optimizer(3e-3, 0.9, 0.999, 0), seed);
    }
}
