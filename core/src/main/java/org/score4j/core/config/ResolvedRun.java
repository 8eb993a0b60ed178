package org.score4j.core.config;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.Objects;
import org.score4j.api.Dataset;
import org.score4j.api.LabelledDataset;
import org.score4j.api.LearningRateSchedule;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;
import org.score4j.api.Optimizer;
import org.score4j.api.Sampler;
import org.score4j.api.SamplingGrid;
import org.score4j.api.spi.ModelBlueprint;

/**
 * Everything a run needs, created from a valid configuration.
 *
 * @param grid     the sampling grid: {@code sample.schedule}'s levels (or the training schedule's), then 0 when
 *                 {@code sample.to-zero}
 * @param names    the selected component name of each slot
 * @param resolved the complete configuration with every default filled in, as written to {@code config.conf}
 */
public record ResolvedRun(long seed, Dataset data, ModelBlueprint model, Objective objective, NoiseSchedule schedule,
                          Sampler sampler, Optimizer optimizer, LearningRateSchedule lrSchedule, SamplingGrid grid,
                          TrainSettings train, SampleSettings sample, EvalSettings eval, Map<ComponentSlot, String> names,
                          Config resolved) {
    public ResolvedRun {
        Objects.requireNonNull(data, "data");
        names = Map.copyOf(names);
    }

    /** The selected name in {@code slot}. */
    public String name(ComponentSlot slot) {
        return names.get(slot);
    }

    /** The number of classes the model is conditioned on: the data's when training is conditional, else 0. */
    public int classes() {
        return train.conditional() && data instanceof LabelledDataset l ? l.classes() : 0;
    }

    /** The resolved configuration without what only concerns sampling and evaluation: what shapes the trained model. */
    public Config trainingConfig() {
        return resolved.withoutPath("sampler").withoutPath("sample").withoutPath("eval");
    }

    /** The resolved configuration as HOCON text, the form its hash is taken of. */
    public String rendered() {
        return render(resolved);
    }

    /** SHA-256 of {@link #rendered()}. */
    public String configHash() {
        return org.score4j.api.spi.Fingerprint.sha256(rendered());
    }

    /** SHA-256 of the rendered {@link #trainingConfig()}: equal for runs that train the same model. */
    public String trainingConfigHash() {
        return org.score4j.api.spi.Fingerprint.sha256(render(trainingConfig()));
    }

    /** The resolved section of {@code slot} (its name included) as HOCON text. */
    public String sectionText(ComponentSlot slot) {
        return render(resolved.getConfig(slot.path()));
    }

    /** {@code config} as HOCON text without comments: what is hashed and stored. */
    public static String render(Config config) {
        return config.root().render(com.typesafe.config.ConfigRenderOptions.defaults().setOriginComments(false)
                .setComments(false).setJson(false));
    }
}
