package org.score4j.models.ncsn;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.score4j.api.InputGradient;
import org.score4j.api.ScoreModel;
import org.score4j.api.spi.ModelBlueprint;
import org.score4j.api.spi.ModelFootprint;
import org.score4j.api.spi.ModelSpec;
import org.score4j.api.tensors.Tensors;
import org.score4j.testkit.ModelContract;

/**
 * The test kit's model contract rejects models with the mistakes it is there to catch: each case wraps a correct
 * {@link NcsnMlp} or {@link NcsnUnet} and breaks one thing.
 */
class ModelContractTest {
    private static final MlpArchitecture MLP = new MlpArchitecture(16, 2, "swish", 4, true, true);
    private static final ModelSpec VECTORS = new ModelSpec(new long[] {3}, 1.5, 0);
    private static final ModelSpec LABELLED = new ModelSpec(new long[] {3}, 1.5, 0, 4);

    @Test
    void catchesAParameterGradientWrongInOneLayersBiases() {
        // The output layer's bias: the last 3 of the parameters, 5 % too large.
        Broken broken = new Broken(MLP, VECTORS);
        broken.parameterGradient = g -> {
            INDArray bias = g.get(NDArrayIndex.interval(g.length() - 3, g.length()));
            bias.muli(1.05);
            return g;
        };
        assertThatThrownBy(() -> ModelContract.assertParameterGradientMatchesFiniteDifferences(broken, VECTORS))
                .isInstanceOf(AssertionError.class).hasMessageContaining("∂(Σ g⊙s)/∂θ");
    }

    @Test
    void catchesALabelEmbeddingWithoutAGradient() {
        // ncsn-mlp's first layer takes 3 + 5 inputs, then 5 label slots: W₀ is [13, 16] in Fortran order.
        Broken broken = new Broken(MLP, LABELLED);
        broken.parameterGradient = g -> {
            for (int o = 0; o < 16; o++) {
                g.get(NDArrayIndex.interval(13L * o + 8, 13L * o + 13)).assign(0);
            }
            return g;
        };
        assertThatThrownBy(() -> ModelContract.assertParameterGradientMatchesFiniteDifferences(broken, LABELLED))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void catchesAnInputGradientWithoutTheInputScaling() {
        Broken broken = new Broken(MLP, VECTORS);
        broken.inputGradient = (x, sigma, g) -> {
            // The network's input gradient at x/√(σ² + s²), not yet multiplied by 1/√(σ² + s²).
            INDArray dx = broken.model.inputGradient(x, sigma, null, g);
            return Tensors.scaleRows(dx, SigmaFeatures.inputScale(sigma, 1.5)).castTo(dx.dataType());
        };
        assertThatThrownBy(() -> ModelContract.assertInputGradientMatchesFiniteDifferences(broken, VECTORS))
                .isInstanceOf(AssertionError.class).hasMessageContaining("∂(Σ g⊙s)/∂x");
    }

    @Test
    void catchesABackwardPassThatAddsToTheGradientArray() {
        Broken broken = new Broken(MLP, VECTORS);
        broken.accumulates = true;
        assertThatThrownBy(() -> ModelContract.assertTrainingPassMatchesScores(broken, VECTORS))
                .isInstanceOf(AssertionError.class).hasMessageContaining("every value overwritten");
    }

    @Test
    void catchesSetParametersThatKeepsTheCallersArray() {
        Broken broken = new Broken(MLP, VECTORS);
        broken.aliases = true;
        assertThatThrownBy(() -> ModelContract.assertParametersRoundTrip(broken, VECTORS))
                .isInstanceOf(AssertionError.class).hasMessageContaining("after changing the array given");
    }

    @Test
    void catchesAConditionalModelThatIgnoresItsLabels() {
        Broken broken = new Broken(MLP, LABELLED);
        broken.ignoresLabels = true;
        assertThatThrownBy(() -> ModelContract.assertLabels(broken, LABELLED)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("changes the unconditional scores");
    }

    @Test
    void catchesAFootprintThatMissesParameters() {
        Broken broken = new Broken(MLP, VECTORS);
        broken.footprintError = -16;
        assertThatThrownBy(() -> ModelContract.assertFootprint(broken, VECTORS)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("footprint's parameters");
    }

    @Test
    void catchesAUnetWhoseSigmaEmbeddingHasNoGradient() {
        UnetArchitecture arch = new UnetArchitecture(4, List.of(1, 2), 1, "bias", 4, true, true);
        ModelSpec images = new ModelSpec(new long[] {1, 4, 4}, 1, 0, 3);
        ModelBlueprint blueprint = new ModelBlueprint() {
            @Override
            public ScoreModel build(ModelSpec spec) {
                NcsnUnet unet = NcsnUnet.create(arch, spec);
                // The σ embedding's dense layer comes first: 5 + 4 features (with the label slots) → 16, then 16 biases.
                return new Delegate(unet, g -> {
                    g.get(NDArrayIndex.interval(0, 9 * 16 + 16)).assign(0);
                    return g;
                });
            }

            @Override
            public ModelFootprint footprint(ModelSpec spec) {
                return new UnetBlueprint(arch).footprint(spec);
            }
        };
        assertThatThrownBy(() -> ModelContract.assertParameterGradientMatchesFiniteDifferences(blueprint, images))
                .isInstanceOf(AssertionError.class);
    }

    @FunctionalInterface
    private interface InputVjp {
        INDArray apply(INDArray x, INDArray sigma, INDArray g);
    }

    /** A blueprint of ncsn-mlps, each with one mistake switched on. */
    private static final class Broken implements ModelBlueprint {
        private final MlpArchitecture architecture;
        private final ModelSpec spec;
        UnaryOperator<INDArray> parameterGradient = UnaryOperator.identity();
        InputVjp inputGradient;
        boolean accumulates;
        boolean aliases;
        boolean ignoresLabels;
        double footprintError;
        NcsnMlp model;

        Broken(MlpArchitecture architecture, ModelSpec spec) {
            this.architecture = architecture;
            this.spec = spec;
        }

        @Override
        public ScoreModel build(ModelSpec given) {
            model = NcsnMlp.create(architecture, given);
            return new Delegate(model, parameterGradient) {
                private INDArray aliased;

                @Override
                public void setParameters(INDArray flat) {
                    super.setParameters(flat);
                    aliased = aliases ? flat : null;
                }

                @Override
                public INDArray score(INDArray x, INDArray sigma, int[] labels) {
                    if (aliased != null) {
                        super.setParameters(aliased);
                    }
                    if (ignoresLabels) {
                        ClassLabels.check(labels, x.size(0), given.classes(), "broken");
                        return super.score(x, sigma, null);
                    }
                    return super.score(x, sigma, labels);
                }

                @Override
                public TrainingPass forward(INDArray x, INDArray sigma, int[] labels) {
                    TrainingPass pass = super.forward(x, sigma, ignoresLabels ? null : labels);
                    return !accumulates ? pass : new TrainingPass() {
                        @Override
                        public INDArray scores() {
                            return pass.scores();
                        }

                        @Override
                        public void backward(INDArray scoreGradient, INDArray into) {
                            INDArray before = into.dup();
                            pass.backward(scoreGradient, into);
                            into.addi(before);
                        }
                    };
                }

                @Override
                public INDArray inputGradient(INDArray x, INDArray sigma, int[] labels, INDArray g) {
                    return inputGradient != null ? inputGradient.apply(x, sigma, g)
                            : super.inputGradient(x, sigma, labels, g);
                }
            };
        }

        @Override
        public ModelFootprint footprint(ModelSpec given) {
            ModelFootprint right = new MlpBlueprint(architecture).footprint(given);
            return new ModelFootprint(right.parameters() + footprintError, right.activationsPerExample());
        }
    }

    /** A model that delegates everything, passing its parameter gradients through {@code parameterGradient}. */
    private static class Delegate implements ScoreModel, InputGradient {
        private final ScoreModel model;
        private final UnaryOperator<INDArray> parameterGradient;

        Delegate(ScoreModel model, UnaryOperator<INDArray> parameterGradient) {
            this.model = model;
            this.parameterGradient = parameterGradient;
        }

        @Override
        public long[] exampleShape() {
            return model.exampleShape();
        }

        @Override
        public long parameterCount() {
            return model.parameterCount();
        }

        @Override
        public INDArray parameters() {
            return model.parameters();
        }

        @Override
        public void setParameters(INDArray flat) {
            model.setParameters(flat);
        }

        @Override
        public int classes() {
            return model.classes();
        }

        @Override
        public INDArray score(INDArray x, INDArray sigma, int[] labels) {
            return model.score(x, sigma, labels);
        }

        @Override
        public TrainingPass forward(INDArray x, INDArray sigma, int[] labels) {
            TrainingPass pass = model.forward(x, sigma, labels);
            return new TrainingPass() {
                @Override
                public INDArray scores() {
                    return pass.scores();
                }

                @Override
                public void backward(INDArray scoreGradient, INDArray into) {
                    pass.backward(scoreGradient, into);
                    parameterGradient.apply(into);
                }
            };
        }

        @Override
        public INDArray inputGradient(INDArray x, INDArray sigma, int[] labels, INDArray g) {
            return ((InputGradient) model).inputGradient(x, sigma, labels, g);
        }
    }
}
