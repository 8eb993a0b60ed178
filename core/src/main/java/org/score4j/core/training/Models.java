package org.score4j.core.training;

import com.typesafe.config.Config;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.ScoreModel;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.random.Seeds;
import org.score4j.api.spi.ModelBlueprint;
import org.score4j.api.spi.ModelFactory;
import org.score4j.api.spi.ModelFootprint;
import org.score4j.api.spi.ModelSpec;
import org.score4j.api.spi.Settings;
import org.score4j.api.spi.SettingsException;
import org.score4j.core.UserError;
import org.score4j.core.config.ConfigSources;
import org.score4j.core.config.MemoryBudget;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.plugins.Catalog;
import org.score4j.core.plugins.ComponentKind;
import org.score4j.core.plugins.PluginGuard;
import org.score4j.core.plugins.Registered;

/** Builds a run's model, and restores a checkpoint's: its blueprint made again from the stored section, then θ set. */
public final class Models {
    private static final int SCALE_SAMPLES = 10_000;

    private Models() {
    }

    /** The data's standard deviation over all coordinates, from a fixed sample. */
    public static double dataScale(ResolvedRun run) {
        INDArray x = run.data().sample(SCALE_SAMPLES, new SeededRandom(Seeds.derive(run.seed(), "scale")));
        double std = x.stdNumber().doubleValue();
        return std > 0 && Double.isFinite(std) ? std : 1;
    }

    /** The spec of a run's model: its data's shape, the data scale, a seed derived from the run's, its classes. */
    public static ModelSpec spec(ResolvedRun run, double dataScale) {
        return new ModelSpec(run.data().exampleShape(), dataScale, Seeds.derive(run.seed(), "init"), run.classes());
    }

    /** A freshly initialised model of the run. */
    public static ScoreModel build(ResolvedRun run, ModelSpec spec) {
        return run.model().build(spec);
    }

    /**
     * The model a checkpoint holds, with the parameters samples use (the moving average where there is one): the
     * blueprint is created again from the checkpoint's own model section (read as data, no includes), its size checked
     * against the memory budget and the stored parameters before anything is built.
     *
     * @throws UserError naming the checkpoint and what does not fit
     */
    public static ScoreModel restore(Checkpoints.Loaded checkpoint, Catalog catalog) {
        Checkpoints.Meta meta = checkpoint.meta();
        Registered registered = catalog.of(ComponentKind.MODEL).get(meta.modelName());
        if (registered == null) {
            throw new UserError("checkpoint " + checkpoint.file() + " holds a model '" + meta.modelName()
                    + "' that no plugin provides; known: " + String.join(", ", catalog.of(ComponentKind.MODEL).keySet()));
        }
        ModelFactory factory = (ModelFactory) registered.factory();
        Config section = ConfigSources.parse(meta.modelConfig(), checkpoint.file()).withoutPath("name");
        Settings settings = Settings.of("model", section, factory.defaults());
        ModelBlueprint blueprint;
        try {
            blueprint = PluginGuard.call("creating the model '" + meta.modelName() + "'", registered.source(),
                    () -> factory.create(settings));
        } catch (SettingsException e) {
            throw new UserError("checkpoint " + checkpoint.file() + " holds a model configuration that '" + meta.modelName()
                    + "' refuses: " + e.getMessage());
        }
        if (!settings.unreadProblems().isEmpty()) {
            throw new UserError("checkpoint " + checkpoint.file() + " holds model keys '" + meta.modelName()
                    + "' does not know: " + settings.unreadProblems());
        }
        ModelSpec spec = meta.spec();
        blueprint.incompatibility(spec).ifPresent(reason -> {
            throw new UserError("checkpoint " + checkpoint.file() + ": " + reason);
        });
        ModelFootprint footprint = blueprint.footprint(spec);
        long stored = checkpoint.state().size();
        if (footprint.parameters() != stored) {
            throw new UserError("checkpoint " + checkpoint.file() + " holds " + stored + " parameters, but its model "
                    + "configuration describes " + (long) footprint.parameters() + " for examples of shape "
                    + Arrays.toString(spec.exampleShape()));
        }
        double bytes = footprint.parameters() * 4 * 4 + footprint.activationsPerExample() * 4;
        long budget = MemoryBudget.bytes();
        if (bytes > budget) {
            throw new UserError("checkpoint " + checkpoint.file() + ": its model would need about "
                    + MemoryBudget.describe(bytes) + ", over the memory budget of " + MemoryBudget.describe(budget));
        }
        ScoreModel model = blueprint.build(spec);
        model.setParameters(checkpoint.state().scoring());
        return model;
    }
}
