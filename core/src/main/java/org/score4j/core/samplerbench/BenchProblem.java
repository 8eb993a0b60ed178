package org.score4j.core.samplerbench;

import java.util.List;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.core.oracle.OracleMixtures;

/**
 * One distribution the sampler benchmark samples with its exact score.
 *
 * @param name    short name, used in tables and file names
 * @param title   what it is, for headings
 * @param mixture the distribution
 * @param low     the box [low, high]^d that Langevin samplers start in
 * @param high    its upper end
 */
public record BenchProblem(String name, String title, GaussianMixture mixture, double low, double high) {

    /** The NCSN 2-D mixture and the 16-D anisotropic one ({@link OracleMixtures}), both with the box [−8, 8]^d. */
    public static List<BenchProblem> defaults() {
        return List.of(
                new BenchProblem("ncsn-2d", "NCSN 2-D mixture (1/5 N((−5,−5), I) + 4/5 N((5,5), I))",
                        OracleMixtures.ncsn2d(), -8, 8),
                new BenchProblem("mixture-16d", "16-D mixture (weights 0.1/0.2/0.3/0.4, anisotropic covariances)",
                        OracleMixtures.anisotropic16(), -8, 8));
    }
}
