package org.score4j.nn.samediff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.ScoreModel;
import org.score4j.api.spi.ModelFootprint;
import org.score4j.api.spi.ModelSpec;
import org.score4j.nn.ParameterLayout;
import org.score4j.testkit.ModelContract;

/** A network written as a forward computation only gets a score model that meets the test kit's contract. */
class SameDiffScoreModelTest {
    /** A small MLP on [x/√(σ² + s²), log σ, labels] whose output is divided by σ, for any example shape. */
    private static final class SmallNetwork implements ScoreGraph {
        private final boolean conditional;

        SmallNetwork(boolean conditional) {
            this.conditional = conditional;
        }

        @Override
        public SDVariable define(GraphBuilder in) {
            SameDiff sd = in.sd();
            int d = (int) in.exampleSize();
            SDVariable x = in.x().reshape(-1, d);
            SDVariable scale = sd.math.sqrt(in.sigma().mul(in.sigma()).add(in.dataScale() * in.dataScale()));
            SDVariable features = sd.concat(1, x.div(scale), sd.math.log(in.sigma().div(in.dataScale())));
            int width = d + 1;
            if (conditional) {
                features = sd.concat(1, features, in.labels());
                width += in.classes() + 1;
            }
            SDVariable h = SameDiffLayers.swish(sd, in.dense("hidden", features, width, 16, 1.0));
            SDVariable gain = in.parameter("gain", ParameterLayout.Init.ONE, 0, 1, 16);
            SDVariable out = in.dense("out", h.mul(gain), 16, d, 1.0).div(in.sigma());
            return sd.reshape(out, sd.shape(in.x()));
        }

        @Override
        public boolean conditional() {
            return conditional;
        }
    }

    @Test
    void meetsTheModelContract() {
        ModelContract.assertContract(new SameDiffBlueprint("small", new SmallNetwork(false)),
                new ModelSpec(new long[] {2}, 1.5, 0));
        ModelContract.assertContract(new SameDiffBlueprint("small", new SmallNetwork(false)),
                new ModelSpec(new long[] {1, 3, 2}, 0.5, 1));
    }

    @Test
    void meetsTheModelContractConditionedOnClasses() {
        ModelContract.assertContract(new SameDiffBlueprint("small", new SmallNetwork(true)),
                new ModelSpec(new long[] {3}, 1, 2, 4));
    }

    @Test
    void theFootprintCountsTheDeclaredParametersAndMeasuresTheActivations() {
        SameDiffBlueprint blueprint = new SameDiffBlueprint("small", new SmallNetwork(false));
        ModelSpec spec = new ModelSpec(new long[] {5}, 1, 0);
        ModelFootprint footprint = blueprint.footprint(spec);
        // hidden: 6·16 + 16, gain: 16, out: 16·5 + 5.
        assertThat(footprint.parameters()).isEqualTo(6 * 16 + 16 + 16 + 16 * 5 + 5);
        assertThat(blueprint.build(spec).parameterCount()).isEqualTo((long) footprint.parameters());
        // At least the hidden layer's pre-activation, sigmoid and swish (3·16) and the output (5) per example.
        assertThat(footprint.activationsPerExample()).isGreaterThan(3 * 16 + 5).isLessThan(1000);
    }

    @Test
    void refusesLabelsItDoesNotTakeAndOutputsOfAnotherShape() {
        SameDiffBlueprint blueprint = new SameDiffBlueprint("small", new SmallNetwork(false));
        assertThat(blueprint.incompatibility(new ModelSpec(new long[] {2}, 1, 0, 10))).hasValue("small does not take "
                + "class labels, so it cannot be conditioned on the data's 10 classes; train without labels");
        assertThatThrownBy(() -> blueprint.build(new ModelSpec(new long[] {2}, 1, 0, 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not take class labels");
        ScoreGraph flat = in -> in.dense("out", in.x(), 2, 3, 1.0);
        ScoreModel wrong = new SameDiffBlueprint("wrong", flat).build(new ModelSpec(new long[] {2}, 1, 0));
        assertThatThrownBy(() -> wrong.score(Nd4j.zeros(DataType.FLOAT, 4, 2), Nd4j.ones(DataType.FLOAT, 4)))
                .isInstanceOf(IllegalStateException.class).hasMessage("wrong's graph gave scores of shape [4, 3] for x "
                        + "of shape [4, 2]; a score has the shape of x");
        ScoreGraph refusing = new ScoreGraph() {
            @Override
            public SDVariable define(GraphBuilder in) {
                return in.x();
            }

            @Override
            public Optional<String> incompatibility(ModelSpec spec) {
                return spec.exampleShape().length == 1 ? Optional.empty() : Optional.of("vectors only");
            }
        };
        assertThat(new SameDiffBlueprint("v", refusing).incompatibility(new ModelSpec(new long[] {1, 2, 2}, 1, 0)))
                .hasValue("vectors only");
    }

    @Test
    void trainingPassesLastUntilTheirBackwardANewPassOrNewParameters() {
        ScoreModel model = new SameDiffBlueprint("small", new SmallNetwork(false)).build(new ModelSpec(new long[] {2},
                1, 0));
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 2);
        INDArray sigma = Nd4j.createFromArray(0.5f, 1f, 2f);
        ScoreModel.TrainingPass pass = model.forward(x, sigma, null);
        // Scoring in between leaves the pass as it was.
        model.score(x.mul(3), sigma, null);
        INDArray gradient = Nd4j.zeros(DataType.FLOAT, model.parameterCount());
        pass.backward(x, gradient);
        INDArray expected = Nd4j.zeros(DataType.FLOAT, model.parameterCount());
        model.forward(x, sigma, null).backward(x, expected);
        assertThat(gradient.data().asFloat()).containsExactly(expected.data().asFloat());
        assertThatThrownBy(() -> pass.backward(x, gradient)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("this training pass is over");
        ScoreModel.TrainingPass next = model.forward(x, sigma, null);
        model.setParameters(model.parameters());
        assertThatThrownBy(() -> next.backward(x, gradient)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("this training pass is over");
        assertThatThrownBy(() -> model.score(x, sigma, new int[] {0, -1, -1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("small is unconditional: labels must be null "
                        + "or -1, got 0 at row 0");
    }
}
