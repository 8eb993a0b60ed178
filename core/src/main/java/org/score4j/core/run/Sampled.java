package org.score4j.core.run;

import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What sampling produced.
 *
 * @param samples    the samples, {@code [count, shape...]}
 * @param trajectory the states of the first chains at a few levels (image runs), or empty
 * @param seconds    wall-clock seconds of sampling
 */
public record Sampled(INDArray samples, List<INDArray> trajectory, double seconds) {
    public Sampled {
        Objects.requireNonNull(samples, "samples");
        trajectory = List.copyOf(trajectory);
    }
}
