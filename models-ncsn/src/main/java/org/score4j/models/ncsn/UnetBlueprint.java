package org.score4j.models.ncsn;

import java.util.Objects;
import java.util.Optional;
import org.score4j.api.ScoreModel;
import org.score4j.api.spi.ModelBlueprint;
import org.score4j.api.spi.ModelFootprint;
import org.score4j.api.spi.ModelSpec;

/**
 * ncsn-unet's validated architecture: builds {@link NcsnUnet}s for [C, H, W] images whose height and width its levels
 * can halve. With conditioning = none it refuses class-conditional specs ({@link #incompatibility} says so, and
 * {@link #build} throws {@link IllegalArgumentException}).
 */
final class UnetBlueprint implements ModelBlueprint {
    private final UnetArchitecture architecture;

    UnetBlueprint(UnetArchitecture architecture) {
        this.architecture = Objects.requireNonNull(architecture, "architecture");
    }

    @Override
    public ScoreModel build(ModelSpec spec) {
        return NcsnUnet.create(architecture, spec);
    }

    /**
     * {@inheritDoc} See {@link UnetArchitecture#footprint} for the formulas.
     *
     * @throws IllegalArgumentException if the spec's shape has an {@link #incompatibility}
     */
    @Override
    public ModelFootprint footprint(ModelSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return architecture.footprint(spec.exampleShape(), spec.classes());
    }

    @Override
    public Optional<String> incompatibility(ModelSpec spec) {
        String shape = architecture.unsupported(spec.exampleShape());
        if (shape != null) {
            return Optional.of(shape);
        }
        return spec.classes() > 0 && architecture.conditioning().equals("none")
                ? Optional.of("ncsn-unet with conditioning = none has no σ embedding to add a class embedding to; "
                        + "set model.conditioning = bias to train a class-conditional model")
                : Optional.empty();
    }

    UnetArchitecture architecture() {
        return architecture;
    }
}
