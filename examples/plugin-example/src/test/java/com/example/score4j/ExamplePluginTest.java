package com.example.score4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.StepListener;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.ChainRandom;
import org.score4j.api.spi.ModelBlueprint;
import org.score4j.api.spi.ModelFactory;
import org.score4j.api.spi.ModelSpec;
import org.score4j.api.spi.ScheduleFactory;
import org.score4j.api.spi.Settings;
import org.score4j.api.tensors.Tensors;
import org.score4j.testkit.ComponentContract;
import org.score4j.testkit.ModelContract;
import org.score4j.testkit.PluginContract;
import org.score4j.testkit.SamplerContract;
import org.score4j.testkit.ScheduleContract;

/** The example plugin against the score4j test kit's contracts. */
class ExamplePluginTest {
    private final ExamplePlugin plugin = new ExamplePlugin();
    private final ScheduleFactory cosine = plugin.schedules().get(0);

    private SamplingGrid cosineGrid(String hocon) {
        return SamplingGrid.of(cosine.create(Settings.of(cosine, hocon)), true);
    }

    @Test
    void thePluginIsWellFormed() {
        PluginContract.assertWellFormed(plugin);
    }

    @Test
    void theScheduleFollowsTheCosineFormulaAndTheContract() {
        NoiseSchedule s = cosine.create(Settings.of(cosine, "sigma-max = 80, sigma-min = 0.002, levels = 5"));
        ScheduleContract.assertWellFormed(s);
        // Evenly spaced angles: the middle level is tan of the mean of the end angles.
        assertThat(s.sigma(2)).isCloseTo(Math.tan((Math.atan(80) + Math.atan(0.002)) / 2), offset(1e-12));
        assertThat(Math.atan(s.sigma(1)) - Math.atan(s.sigma(0)))
                .isCloseTo(Math.atan(s.sigma(4)) - Math.atan(s.sigma(3)), offset(1e-12));
        assertThat(s.largest()).isEqualTo(80);
        assertThat(s.smallest()).isEqualTo(0.002);
        ScheduleContract.assertWellFormed(cosine.create(Settings.of(cosine, "levels = 1")));
        ScheduleContract.assertWellFormed(cosine.create(Settings.of(cosine, "")));
        ScheduleContract.assertRefusesHostileLevels(cosine, "");
        assertThatThrownBy(() -> cosine.create(Settings.of(cosine, "sigma-max = 0.001"))).hasMessageContaining(
                "cosine-sigma.sigma-max: must be greater than sigma-min (0.01), got 0.001");
    }

    @Test
    void theSamplerFollowsTheSamplerContract() {
        AncestralSampler sampler = new AncestralSampler();
        SamplerContract.assertWellBehaved(sampler, cosineGrid("sigma-max = 100, levels = 10"));
        SamplerContract.assertWellBehaved(sampler, SamplingGrid.of(100, 10, 1, 0.1));
        SamplerContract.assertRefuses(sampler, SamplingGrid.of(2.0), "needs at least two values");
        assertThat(sampler.start()).isEqualTo(org.score4j.api.Sampler.Start.PRIOR);
    }

    @Test
    void withTheExactScoreTheSamplerRecoversTheMixtureWeights() {
        // The NCSN mixture from N(0, 100²I) on 100 cosine-sigma levels from 100 to 0.01, then 0: 100 evaluations. 2560
        // chains: the share of the small mode varies by about 0.015 between seeds at 1280.
        double[] shares = SamplerContract.assertRecoversWeights(new AncestralSampler(), GaussianMixture.ncsnReference(),
                cosineGrid("sigma-max = 100, sigma-min = 0.01, levels = 100"), 2560, -8, 8, 7, 0.03);
        System.out.printf("ancestral, 2560 chains from N(0, 100²I), 100 cosine-sigma levels 100 → 0.01 then 0: "
                + "shares %.4f / %.4f%n", shares[0], shares[1]);
    }

    @Test
    void aStepIsTheAncestralUpdate() {
        ScoreFunction score = GaussianMixture.ncsnReference().exactScore();
        ChainRandom rng = new ChainRandom(4, 0, 3);
        INDArray x0 = rng.normal(3, 2).muli(4);
        ChainRandom replay = new ChainRandom(4, 0, 3);
        replay.normal(3, 2);
        INDArray end = new AncestralSampler().sample(score, SamplingGrid.of(4, 2, 0), x0, rng, StepListener.NONE);
        // 4 → 2: Δ = 12, noise √(2²·12/4²) = √3; 2 → 0: the Tweedie step, no noise.
        INDArray mid = x0.add(score.score(x0, 4).mul(12)).add(replay.normal(3, 2).mul(Math.sqrt(3)));
        INDArray expected = mid.add(score.score(mid, 2).mul(4));
        assertThat(Tensors.doubles(end)).containsExactly(Tensors.doubles(expected), offset(1e-4));
    }

    @Test
    void theResNetMlpMeetsTheModelContract() {
        ModelFactory factory = plugin.models().get(0);
        assertThat(factory.name()).isEqualTo("resnet-mlp");
        ModelBlueprint blueprint = ComponentContract.assertWellFormed(factory);
        ModelContract.assertContract(blueprint, new ModelSpec(new long[] {2}, 1.5, 0));
        // Images are flattened; a smaller network keeps the finite differences quick.
        ModelContract.assertContract(factory.create(Settings.of(factory, "hidden = 8, blocks = 1")),
                new ModelSpec(new long[] {1, 3, 3}, 0.5, 1));
        assertThat(blueprint.incompatibility(new ModelSpec(new long[] {2}, 1, 0, 10))).hasValue("resnet-mlp does not "
                + "take class labels, so it cannot be conditioned on the data's 10 classes; train without labels");
        assertThatThrownBy(() -> factory.create(Settings.of(factory, "hidden = 100000, blocks = -1")))
                .hasMessageContaining("resnet-mlp.hidden: must be at most 16384, got 100000")
                .hasMessageContaining("resnet-mlp.blocks: ");
    }
}
