package org.score4j.models.ncsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;
import org.score4j.api.ScoreModel;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.spi.ModelBlueprint;
import org.score4j.api.spi.ModelFootprint;
import org.score4j.api.spi.ModelSpec;
import org.score4j.api.spi.Settings;
import org.score4j.testkit.ComponentContract;
import org.score4j.testkit.ModelContract;

class NcsnUnetTest {
    private static final NoiseSchedule LEVELS = NoiseSchedule.of(4, 1, 0.25);
    private static final UnetArchitecture TINY = new UnetArchitecture(4, List.of(1, 2), 1, "bias", 4, true, true);
    /** TINY with group normalisation (2 groups) and two-head attention at its 2×2 level (of 4×4 images). */
    private static final UnetArchitecture NORMED = new UnetArchitecture(4, List.of(1, 2), 1, "bias", 4, true, true,
            "group", 2, List.of(2), 2);

    @Test
    void meetsTheModelContract() {
        ModelContract.assertContract(new UnetBlueprint(TINY), new ModelSpec(new long[] {1, 4, 4}, 1, 0));
    }

    @Test
    void meetsTheModelContractWithoutConditioning() {
        ModelContract.assertContract(new UnetBlueprint(new UnetArchitecture(3, List.of(1, 2), 1, "none", 0, true,
                true)), new ModelSpec(new long[] {2, 4, 4}, 0.5, 1));
    }

    @Test
    void meetsTheModelContractConditionedOnClasses() {
        ModelContract.assertContract(new UnetBlueprint(new UnetArchitecture(4, List.of(1, 1), 1, "bias", 2, true,
                false)), new ModelSpec(new long[] {1, 4, 6}, 0.8, 2, 4));
    }

    @Test
    void meetsTheModelContractWithNormalisationAndAttention() {
        ModelContract.assertContract(new UnetBlueprint(NORMED), new ModelSpec(new long[] {1, 4, 4}, 1, 0));
        ModelContract.assertContract(new UnetBlueprint(new UnetArchitecture(4, List.of(1, 1), 1, "none", 0, true, true,
                "group", 4, List.of(4, 2), 1)), new ModelSpec(new long[] {2, 4, 4}, 0.5, 1));
    }

    @Test
    void theSameDiffGraphWithNormalisationAndAttentionMeetsTheModelContract() {
        ModelContract.assertContract(onTheGraph(NORMED), new ModelSpec(new long[] {1, 4, 4}, 1, 0, 3));
    }

    @Test
    void theSameDiffGraphMeetsTheModelContractToo() {
        ModelBlueprint onTheGraph = new ModelBlueprint() {
            private final UnetBlueprint blueprint = new UnetBlueprint(TINY);

            @Override
            public ScoreModel build(ModelSpec spec) {
                return NcsnUnet.create(TINY, spec, (arch, shape, features) -> new UnetGraph(arch, shape, features));
            }

            @Override
            public ModelFootprint footprint(ModelSpec spec) {
                return blueprint.footprint(spec);
            }
        };
        ModelContract.assertContract(onTheGraph, new ModelSpec(new long[] {1, 4, 4}, 1, 0, 3));
    }

    private static ModelBlueprint onTheGraph(UnetArchitecture arch) {
        return new ModelBlueprint() {
            private final UnetBlueprint blueprint = new UnetBlueprint(arch);

            @Override
            public ScoreModel build(ModelSpec spec) {
                return NcsnUnet.create(arch, spec, (a, shape, features) -> new UnetGraph(a, shape, features));
            }

            @Override
            public ModelFootprint footprint(ModelSpec spec) {
                return blueprint.footprint(spec);
            }
        };
    }

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
        ScoreModel.TrainingPass pass = model.forward(x, sigma, null);
        assertThat(pass.scores().shape()).containsExactly(3, channels, height, width);
        // The output convolution starts at zero: the first scores are 0, the first gradient is not.
        assertThat(pass.scores().amaxNumber().doubleValue()).isZero();
        INDArray gradient = Nd4j.create(DataType.FLOAT, model.parameterCount());
        pass.backward(new SeededRandom(2).normal(3, channels, height, width), gradient);
        assertThat(gradient.norm2Number().doubleValue()).isPositive();
        model.setParameters(model.parameters().subi(gradient.muli(1e-3)));
        assertThat(model.score(x, sigma).amaxNumber().doubleValue()).isPositive();
        assertThat(model.inputGradient(x, sigma, null, x).shape()).containsExactly(3, channels, height, width);
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
        NcsnUnet two = NcsnUnet.create(TINY, spec(new long[] {1, 8, 8}, 1, 0));
        long full = 64L * (36 + 288 + 288 + 144 + 32 + 36 + 9 * 8 * 4 /* upsample conv, 8 → 4 channels at 8×8 */);
        long half = 16L * (9 * 4 * 4 /* downsample */ + 9 * 4 * 8 + 9 * 8 * 8 + 1 * 4 * 8 /* down1 */
                + 2 * 9 * 8 * 8 /* middle */ + 9 * 16 * 8 + 9 * 8 * 8 + 1 * 16 * 8 /* up1 */);
        long dense = 5 * 16 + 16 * (4 + 8 + 8 + 8 + 4);
        assertThat(two.forwardFlops()).hasValue(2 * (full + half + dense));
        // Conditioned on 10 classes, the σ embedding's dense layer takes 11 label slots more.
        assertThat(NcsnUnet.create(TINY, new ModelSpec(new long[] {1, 8, 8}, 1, 0, 10)).forwardFlops())
                .hasValue(2 * (full + half + dense + 11 * 16));
        // Attention at the 4×4 level (16 positions of 8 channels) after the down, middle and up blocks: per block the
        // projections 16·(8·24 + 8·8) and the products Q·Kᵀ and P·V 2·16·16·8; normalisation counts nothing.
        NcsnUnet attending = NcsnUnet.create(new UnetArchitecture(4, List.of(1, 2), 1, "bias", 4, true, true, "group",
                4, List.of(4), 2), spec(new long[] {1, 8, 8}, 1, 0));
        long attention = 16L * (8 * 24 + 8 * 8) + 2L * 16 * 16 * 8;
        assertThat(attending.forwardFlops()).hasValue(2 * (full + half + dense + 3 * attention));
    }

    @Test
    void theFootprintCountsParametersWithoutBuildingAndOverflowsNothing() {
        for (UnetArchitecture arch : List.of(TINY, new UnetArchitecture(32, List.of(1, 2, 2), 2, "bias", 8, true, true),
                new UnetArchitecture(8, List.of(1, 1, 2), 1, "none", 0, false, true), new UnetArchitecture(8,
                        List.of(1, 2), 2, "bias", 8, true, true, "group", 4, List.of(8, 4), 2))) {
            for (int classes : arch.conditioned() ? new int[] {0, 10} : new int[] {0}) {
                ModelSpec spec = new ModelSpec(new long[] {3, 8, 8}, 1, 0, classes);
                assertThat(new UnetBlueprint(arch).footprint(spec).parameters()).as("%s, %d classes", arch, classes)
                        .isEqualTo((double) NcsnUnet.create(arch, spec).parameterCount());
            }
        }
        UnetArchitecture absurd = new UnetArchitecture(1024, List.of(64, 64, 64), NcsnPlugin.MAX_BLOCKS, "bias", 8, true,
                true);
        ModelSpec big = new ModelSpec(new long[] {3, 1L << 20, 1L << 20}, 1, 0);
        ModelFootprint huge = new UnetBlueprint(absurd).footprint(big);
        assertThat(huge.parameters()).isGreaterThan(1e12).isFinite();
        assertThat(huge.activationsPerExample()).isGreaterThan(1e17).isFinite();
        ModelFootprint attending = new UnetBlueprint(new UnetArchitecture(1024, List.of(64, 64, 64), 4, "bias", 8,
                true, true, "group", 1024, List.of(1 << 20, 1 << 18), 1024)).footprint(big);
        assertThat(attending.activationsPerExample()).as("attention over 2^40 positions").isGreaterThan(1e24)
                .isFinite();
        assertThatThrownBy(() -> new UnetBlueprint(absurd).build(new ModelSpec(new long[] {1, 8, 8}, 1, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ncsn-unet with these settings has")
                .hasMessageContaining("parameters; at most 536870911 fit its flat parameter vector");
        assertThatThrownBy(() -> new UnetBlueprint(TINY).footprint(new ModelSpec(new long[] {2}, 1, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ncsn-unet needs images");
    }

    @Test
    void refusesImagesItCannotHalveAndLabelsItCannotSee() {
        assertThatThrownBy(() -> NcsnUnet.create(new UnetArchitecture(4, List.of(1, 2, 2), 1, "bias", 4, true, true),
                spec(new long[] {1, 30, 30}, 1, 0)))
                .hasMessageContaining("height and width must be divisible by 4, got 30×30; use fewer multipliers");
        assertThatThrownBy(() -> NcsnUnet.create(TINY, spec(new long[] {2}, 1, 0)))
                .hasMessageContaining("ncsn-unet needs images of shape [channels, height, width], got [2]");
        NcsnUnet model = NcsnUnet.create(TINY, spec(new long[] {1, 4, 4}, 1, 0));
        assertThatThrownBy(() -> model.score(Nd4j.zeros(2, 1, 4, 6), Nd4j.ones(2)))
                .hasMessageContaining("ncsn-unet expects x of shape [N, 1, 4, 4] and σ of shape [N], got [2, 1, 4, 6]");
        UnetBlueprint unconditioned = new UnetBlueprint(new UnetArchitecture(4, List.of(1), 1, "none", 0, true, true));
        assertThatThrownBy(() -> unconditioned.build(new ModelSpec(new long[] {1, 4, 4}, 1, 0, 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ncsn-unet with conditioning = none does not "
                        + "see σ or labels, so it cannot be conditioned on the data's 10 classes; use conditioning = "
                        + "bias (or train without labels)");
    }

    @Test
    void refusesAttentionAtAResolutionItDoesNotHaveOrWithHeadsThatDoNotDivide() {
        UnetBlueprint at5 = new UnetBlueprint(new UnetArchitecture(4, List.of(1, 2, 2), 1, "bias", 4, true, true, "none",
                1, List.of(5), 1));
        assertThat(at5.incompatibility(new ModelSpec(new long[] {1, 28, 28}, 1, 0))).hasValue("ncsn-unet has no level "
                + "of resolution 5 for attention: on 28×28 images its levels are [28×28, 14×14, 7×7] (attention names "
                + "a level by the height of its maps)");
        UnetBlueprint heads = new UnetBlueprint(new UnetArchitecture(4, List.of(1, 3), 1, "bias", 4, true, true, "none",
                1, List.of(4), 8));
        assertThatThrownBy(() -> heads.build(new ModelSpec(new long[] {1, 8, 8}, 1, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ncsn-unet's attention at resolution 4 has 12 "
                        + "channels, which 8 heads do not divide");
        assertThatThrownBy(() -> new UnetArchitecture(12, List.of(1, 2), 1, "bias", 4, true, true, "group", 8,
                List.of(), 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("groups (8) must divide the channels of every level, got [12, 24]");
    }

    @Test
    void lossGradientMatchesFiniteDifferencesOfTheLoss() {
        for (UnetArchitecture arch : List.of(new UnetArchitecture(3, List.of(1, 2), 1, "bias", 4, true, true),
                new UnetArchitecture(3, List.of(1, 2), 1, "none", 4, true, true), new UnetArchitecture(4,
                        List.of(1, 2), 1, "bias", 4, true, true, "group", 2, List.of(2), 2))) {
            NcsnUnet model = NcsnUnet.create(arch, spec(new long[] {2, 4, 4}, 1, 3));
            INDArray data = new SeededRandom(1).normal(6, 2, 4, 4);
            Objective.Batch batch = new DenoisingTarget().prepare(data, LEVELS, new SeededRandom(2));
            FiniteDifferences.assertGradientMatches(model, batch, FiniteDifferences.meanGradient(model, batch), 29,
                    1e-2);
        }
    }

    @Test
    void trainingLowersTheDenoisingLoss() {
        NcsnUnet model = NcsnUnet.create(new UnetArchitecture(8, List.of(1, 2), 1, "bias", 4, true, true),
                spec(new long[] {1, 8, 8}, 0.5, 3));
        LocalAdam adam = new LocalAdam(model, 3e-3);
        SeededRandom rng = new SeededRandom(4);
        // Images with one bright square at a random place: a structured distribution a U-Net can learn.
        Objective objective = new DenoisingTarget();
        double first = 0;
        double last = 0;
        for (int step = 0; step < 150; step++) {
            double loss = adam.step(objective.prepare(squares(32, rng), LEVELS, rng), null).mean();
            first += step < 10 ? loss / 10 : 0;
            last += step >= 140 ? loss / 10 : 0;
        }
        // The loss of the zero score is ½·64 = 32 per example; a learned denoiser does clearly better.
        assertThat(first).isGreaterThan(last * 1.3);
        assertThat(last).isLessThan(25);
    }

    @Test
    void gradientsOfShardsSumToTheWholeBatchsGradient() {
        long[] shape = {1, 8, 8};
        NcsnUnet whole = NcsnUnet.create(TINY, spec(shape, 1, 0));
        NcsnUnet replica = NcsnUnet.create(TINY, spec(shape, 1, 7));
        whole.setParameters(whole.parameters().addi(new SeededRandom(5).normal(whole.parameterCount()).muli(0.01)));
        replica.setParameters(whole.parameters());
        Objective.Batch batch = new DenoisingTarget().prepare(squares(6, new SeededRandom(1)), LEVELS,
                new SeededRandom(2));
        INDArray g = batch.loss(whole.score(batch.inputs(), batch.sigmas())).scoreGradient();
        INDArray expected = Nd4j.create(DataType.FLOAT, whole.parameterCount());
        whole.forward(batch.inputs(), batch.sigmas(), null).backward(g, expected);
        INDArray sum = Nd4j.zeros(DataType.FLOAT, whole.parameterCount());
        INDArray part = Nd4j.create(DataType.FLOAT, whole.parameterCount());
        for (int half = 0; half < 2; half++) {
            var rows = NDArrayIndex.interval(3 * half, 3 * half + 3);
            replica.forward(batch.inputs().get(rows).dup(), batch.sigmas().get(rows).dup(), null)
                    .backward(g.get(rows).dup(), part);
            sum.addi(part);
        }
        double scale = expected.amaxNumber().doubleValue();
        assertThat(sum.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5 * scale);
    }

    @Test
    void newParametersReloadTheConvolutionKernels() {
        NcsnUnet model = NcsnUnet.create(TINY, spec(new long[] {1, 8, 8}, 1, 0));
        NcsnUnet other = NcsnUnet.create(TINY, spec(new long[] {1, 8, 8}, 1, 1));
        INDArray x = new SeededRandom(1).normal(2, 1, 8, 8);
        INDArray sigma = Nd4j.createFromArray(0.5f, 2f);
        INDArray theta = model.parameters().addi(new SeededRandom(2).normal(model.parameterCount()).muli(0.05));
        model.score(x, sigma);
        model.setParameters(theta);
        other.setParameters(theta);
        INDArray first = model.score(x, sigma);
        assertThat(first.data().asFloat()).containsExactly(other.score(x, sigma).data().asFloat());
        // The same batch size, so the kernels are not rebuilt for a new size: only setParameters can reload them.
        model.setParameters(theta.mul(2));
        assertThat(model.score(x, sigma).sub(first).amaxNumber().doubleValue()).isGreaterThan(1e-3);
    }

    @Test
    void factoryIsWellFormedAndValidates() {
        var factory = new NcsnPlugin().models().get(1);
        assertThat(factory.name()).isEqualTo("ncsn-unet");
        ModelBlueprint blueprint = ComponentContract.assertWellFormed(factory);
        assertThat(((UnetBlueprint) blueprint).architecture()).isEqualTo(new UnetArchitecture(32, List.of(1, 2, 2), 1,
                "bias", 8, true, true));
        assertThat(((UnetBlueprint) factory.create(Settings.of(factory, "norm = group, groups = 16, attention = [7, 14], "
                + "heads = 4"))).architecture()).isEqualTo(new UnetArchitecture(32, List.of(1, 2, 2), 1, "bias", 8,
                true, true, "group", 16, List.of(7, 14), 4));
        assertThatThrownBy(() -> factory.create(Settings.of(factory,
                "norm = layer, groups = 0, attention = [7, 7, 3.5], heads = 2000")))
                .hasMessageContaining("ncsn-unet.norm: expected one of none, group, got \"layer\"")
                .hasMessageContaining("ncsn-unet.groups: ")
                .hasMessageContaining("ncsn-unet.attention: names resolution 7 twice")
                .hasMessageContaining("ncsn-unet.attention: must be whole numbers of pixels >= 1, got 3.5")
                .hasMessageContaining("ncsn-unet.heads: must be at most 1024, got 2000");
        assertThatThrownBy(() -> factory.create(Settings.of(factory, "norm = group, groups = 24")))
                .hasMessageContaining("ncsn-unet.groups: must divide the channels of every level (channels × "
                        + "multipliers), got 24 for 32");
        assertThatThrownBy(() -> factory.create(Settings.of(factory,
                "conditioning = film, multipliers = [1, 1.5], embedding = 3")))
                .hasMessageContaining("ncsn-unet.conditioning: expected one of bias, none, got \"film\"")
                .hasMessageContaining("ncsn-unet.multipliers: must be whole numbers from 1 to 64, got 1.5")
                .hasMessageContaining("ncsn-unet.embedding: must be even, got 3");
        assertThatThrownBy(() -> factory.create(Settings.of(factory,
                "channels = 1e6, blocks = 1000, multipliers = [1, 2, 1000, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]")))
                .hasMessageContaining("ncsn-unet.channels: must be at most 4096, got 1000000")
                .hasMessageContaining("ncsn-unet.blocks: must be at most 64, got 1000")
                .hasMessageContaining("ncsn-unet.multipliers: must be whole numbers from 1 to 64, got 1000")
                .hasMessageContaining("ncsn-unet.multipliers: at most 12 levels (the resolution halves 11 times), got 13");
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

    private static ModelSpec spec(long[] shape, double scale, long seed) {
        return new ModelSpec(shape, scale, seed);
    }
}
