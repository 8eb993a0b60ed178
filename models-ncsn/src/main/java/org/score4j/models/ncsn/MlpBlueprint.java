package org.score4j.models.ncsn;

import java.util.Objects;
import java.util.Optional;
import org.score4j.api.ScoreModel;
import org.score4j.api.spi.ModelBlueprint;
import org.score4j.api.spi.ModelFootprint;
import org.score4j.api.spi.ModelSpec;

/** ncsn-mlp's validated architecture: builds {@link NcsnMlp}s for any example shape (flattened) and classes. */
final class MlpBlueprint implements ModelBlueprint {
    private final MlpArchitecture architecture;

    MlpBlueprint(MlpArchitecture architecture) {
        this.architecture = Objects.requireNonNull(architecture, "architecture");
    }

    @Override
    public ScoreModel build(ModelSpec spec) {
        return NcsnMlp.create(architecture, spec);
    }

    /** {@inheritDoc} See {@link MlpArchitecture#footprint} for the formulas. */
    @Override
    public ModelFootprint footprint(ModelSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return architecture.footprint(spec.exampleShape(), spec.classes());
    }

    @Override
    public Optional<String> incompatibility(ModelSpec spec) {
        long[] exampleShape = spec.exampleShape();
        return java.util.Arrays.stream(exampleShape).anyMatch(s -> s < 1)
                ? Optional.of("ncsn-mlp needs examples with every dimension >= 1, got "
                        + java.util.Arrays.toString(exampleShape))
                : Optional.empty();
    }

    MlpArchitecture architecture() {
        return architecture;
    }
}
