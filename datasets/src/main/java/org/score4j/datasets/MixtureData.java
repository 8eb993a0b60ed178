package org.score4j.datasets;

import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Dataset;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.mixture.MixtureDataset;
import org.score4j.api.random.RandomSource;
import org.score4j.api.spi.Fingerprint;

/** Fresh draws from a Gaussian mixture, whose exact scores enable the exact-score metrics. */
public final class MixtureData implements MixtureDataset {
    private final GaussianMixture mixture;

    public MixtureData(GaussianMixture mixture) {
        this.mixture = Objects.requireNonNull(mixture, "mixture");
    }

    @Override
    public long[] exampleShape() {
        return new long[] {mixture.dimension()};
    }

    @Override
    public INDArray sample(int n, RandomSource rng) {
        return mixture.sample(n, rng);
    }

    @Override
    public String fingerprint() {
        return Fingerprint.sha256(mixture.toString());
    }

    @Override
    public GaussianMixture mixture() {
        return mixture;
    }
}
