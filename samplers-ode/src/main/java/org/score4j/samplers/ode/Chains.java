package org.score4j.samplers.ode;

import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.NonFiniteException;
import org.score4j.api.SamplingGrid;
import org.score4j.api.tensors.Tensors;

/** What the samplers of this module share: the rule that they step between grid values, and the finite check. */
final class Chains {
    private Chains() {
    }

    /** Samplers that step from one grid value to the next need two of them. */
    static Optional<String> needsTwoValues(String sampler, SamplingGrid grid) {
        return grid.size() < 2 ? Optional.of(sampler + " steps from each grid value to the next and needs at least "
                + "two values, got " + grid) : Optional.empty();
    }

    /** Throws a {@link NonFiniteException} naming the sampler, step and level if a state is NaN or infinite. */
    static void checkFinite(INDArray x, String sampler, long step, double sigma) {
        if (!Tensors.allFinite(x)) {
            throw new NonFiniteException(sampler + " diverged at step " + step + " (σ = " + sigma
                    + "): a chain state is NaN or infinite; the score is not finite there, or the grid is too coarse");
        }
    }
}
