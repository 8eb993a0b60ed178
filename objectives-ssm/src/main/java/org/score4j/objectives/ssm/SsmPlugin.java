package org.score4j.objectives.ssm;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Locale;
import org.score4j.api.Objective;
import org.score4j.api.SigmaDistribution;
import org.score4j.api.spi.ObjectiveFactory;
import org.score4j.api.spi.Score4jPlugin;
import org.score4j.api.spi.Settings;

/** Contributes the {@code ssm}, {@code ssm-vr} and {@code exact-sm} objectives. */
public final class SsmPlugin implements Score4jPlugin {

    @Override
    public String apiVersion() {
        return API_VERSION;
    }

    private static final String SHARED_KEYS = """
            # noise-conditional: perturb each example at a level σ of the schedule and weight its loss by σ²
            # (works with the annealed sampler); clean: the data itself, the model conditioned on the smallest σ.
            conditioning = noise-conditional
            # σ per example when noise-conditional: levels (one of the schedule's, uniformly) or log-uniform
            # between the schedule's smallest and largest level (the VE SDE: sample the model on any grid).
            sigma-distribution = levels
            # ε/σ of the central differences that replace the Jacobian term (no second derivatives needed).
            fd-step = 0.01
            """;

    @Override
    public List<ObjectiveFactory> objectives() {
        return List.of(new Sliced("ssm", false, "rademacher"), new Sliced("ssm-vr", true, "gaussian"), new Exact());
    }

    private static Conditioning conditioning(Settings s) {
        String c = s.choice("conditioning", List.of("noise-conditional", "clean"));
        return c.equals("clean") ? Conditioning.CLEAN : Conditioning.NOISE_CONDITIONAL;
    }

    private static final class Sliced implements ObjectiveFactory {
        private final String name;
        private final boolean varianceReduced;
        private final String projection;

        Sliced(String name, boolean varianceReduced, String projection) {
            this.name = name;
            this.varianceReduced = varianceReduced;
            this.projection = projection;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return varianceReduced
                    ? "sliced score matching, variance-reduced: vᵀ∇s·v by finite differences + ½‖s‖²"
                    : "sliced score matching: vᵀ∇s·v by finite differences + ½(vᵀs)²";
        }

        @Override
        public Config defaults() {
            return ConfigFactory.parseString("""
                    # Distribution of the random directions v: rademacher, gaussian or sphere (radius √d).
                    projection = %s
                    # Directions per example; each costs two model evaluations.
                    projections = 1
                    """.formatted(projection) + SHARED_KEYS);
        }

        @Override
        public Objective create(Settings s) {
            String p = s.choice("projection", List.of("rademacher", "gaussian", "sphere"));
            int k = s.integer("projections", 1);
            s.require(k <= 1024, "projections", "at most 1024 directions per example, got " + k);
            Conditioning c = conditioning(s);
            SigmaDistribution d = SigmaDistribution.of(s.choice("sigma-distribution", SigmaDistribution.keys()));
            double step = s.between("fd-step", 1e-6, 0.5);
            return s.build(() -> new SlicedScoreMatching(Projection.valueOf(p.toUpperCase(Locale.ROOT)), k,
                    varianceReduced, c, d, step));
        }
    }

    private static final class Exact implements ObjectiveFactory {
        @Override
        public String name() {
            return "exact-sm";
        }

        @Override
        public String description() {
            return "score matching with the full trace of ∇s by d finite differences (low-dimensional data only)";
        }

        @Override
        public Config defaults() {
            return ConfigFactory.parseString("""
                    # Refuse data with more dimensions: each example costs 2·d model evaluations.
                    max-dimension = 10
                    """ + SHARED_KEYS);
        }

        @Override
        public Objective create(Settings s) {
            int max = s.integer("max-dimension", 1);
            Conditioning c = conditioning(s);
            SigmaDistribution d = SigmaDistribution.of(s.choice("sigma-distribution", SigmaDistribution.keys()));
            double step = s.between("fd-step", 1e-6, 0.5);
            return s.build(() -> new ExactScoreMatching(max, c, d, step));
        }
    }
}
