package org.score4j.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.score4j.api.Dataset;
import org.score4j.api.LabelledDataset;
import org.score4j.api.LearningRateSchedule;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;
import org.score4j.api.Optimizer;
import org.score4j.api.Sampler;
import org.score4j.api.SamplingGrid;
import org.score4j.api.spi.ComponentFactory;
import org.score4j.api.spi.ConfigProblem;
import org.score4j.api.spi.ModelBlueprint;
import org.score4j.api.spi.Settings;
import org.score4j.api.spi.SettingsException;
import org.score4j.api.spi.Suggestions;
import org.score4j.core.UserError;
import org.score4j.core.plugins.Catalog;
import org.score4j.core.plugins.PluginGuard;
import org.score4j.core.plugins.Registered;

/**
 * Turns a user's configuration into a {@link ResolvedRun}: picks each component by name from the catalog, hands it its
 * section, checks that the pieces fit together (objective and model against the data, sampler against its grid,
 * memory against the budget), and collects every problem into one error.
 */
public final class ComponentResolver {
    /** Keys of score4j 1.x that moved, with where they are now. */
    private static final Map<String, String> MOVED = Map.of(
            "train.learning-rate", "optimizer.learning-rate",
            "train.beta1", "optimizer.beta1",
            "train.beta2", "optimizer.beta2",
            "sampler.denoise", "sample.to-zero");

    private final Catalog catalog;
    private final long memoryBudget;

    /** A resolver over {@code catalog}'s components, checking memory against {@link MemoryBudget#bytes()}. */
    public ComponentResolver(Catalog catalog) {
        this(catalog, MemoryBudget.bytes());
    }

    public ComponentResolver(Catalog catalog, long memoryBudget) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.memoryBudget = memoryBudget;
    }

    /**
     * @param user what the user gave (file and overrides)
     * @throws UserError listing every problem of the configuration
     */
    public ResolvedRun resolve(Config user) {
        Config defaults = ConfigSources.defaults();
        List<ConfigProblem> problems = new ArrayList<>();
        for (String key : user.root().keySet()) {
            if (!defaults.root().containsKey(key)) {
                problems.add(new ConfigProblem(key, "unknown key" + Suggestions.closest(key, defaults.root().keySet())
                        .map(s -> " (did you mean '" + s + "'?)")
                        .orElse("; known keys: " + String.join(", ", new TreeSet<>(defaults.root().keySet())))));
            } else if (!key.equals("seed") && user.getValue(key).valueType() != ConfigValueType.OBJECT) {
                problems.add(new ConfigProblem(key, "expected a section { ... }, got " + user.getValue(key).render()));
            }
        }
        Config given = user;
        for (Map.Entry<String, String> moved : MOVED.entrySet()) {
            if (given.hasPathOrNull(moved.getKey())) {
                problems.add(new ConfigProblem(moved.getKey(), "moved to " + moved.getValue() + " in score4j 2.0"));
                given = given.withoutPath(moved.getKey());
            }
        }
        Settings seedSettings = Settings.of("", only(given, "seed"), only(defaults, "seed"));
        int seed = seedSettings.integer("seed", 0);
        problems.addAll(seedSettings.problems());

        Picker picker = new Picker(given, defaults, problems, seed);
        Dataset data = picker.pick(ComponentSlot.DATA);
        ModelBlueprint model = picker.pick(ComponentSlot.MODEL);
        Objective objective = picker.pick(ComponentSlot.OBJECTIVE);
        NoiseSchedule schedule = picker.pick(ComponentSlot.SCHEDULE);
        Optimizer optimizer = picker.pick(ComponentSlot.OPTIMIZER);
        LearningRateSchedule lrSchedule = picker.pick(ComponentSlot.LR_SCHEDULE);
        Sampler sampler = picker.pick(ComponentSlot.SAMPLER);
        NoiseSchedule samplingLevels = picker.samplingSchedule(schedule);
        TrainSettings train = Sections.train(given, defaults, problems);
        SampleSettings sample = Sections.sample(given, defaults, problems);
        EvalSettings eval = Sections.eval(given, defaults, problems);
        Map<ComponentSlot, String> names = picker.names;

        int classes = 0;
        if (data != null && train != null && train.conditional()) {
            if (data instanceof LabelledDataset l) {
                classes = l.classes();
            } else {
                problems.add(new ConfigProblem("train.conditional", "the data set '" + names.get(ComponentSlot.DATA)
                        + "' has no class labels to condition on"));
            }
        }
        if (sample != null && sample.conditional() && train != null && !train.conditional()) {
            problems.add(new ConfigProblem("sample.class", "class-conditional samples need a class-conditional model: "
                    + "set train.conditional = true"));
        } else if (sample != null && sample.classLabel() >= 0 && classes > 0 && sample.classLabel() >= classes) {
            problems.add(new ConfigProblem("sample.class", "the data has " + classes + " classes (0 to " + (classes - 1)
                    + "), got " + sample.classLabel()));
        }
        if (data != null && objective != null) {
            objective.incompatibility(data.exampleShape()).ifPresent(reason -> problems.add(new ConfigProblem(
                    "objective.name", "'" + names.get(ComponentSlot.OBJECTIVE) + "' cannot train on the data '"
                    + names.get(ComponentSlot.DATA) + "': " + reason)));
        }
        if (data != null && model != null) {
            model.incompatibility(new org.score4j.api.spi.ModelSpec(data.exampleShape(), 1, 0, classes)).ifPresent(
                    reason -> problems.add(new ConfigProblem("model.name", "'" + names.get(ComponentSlot.MODEL)
                            + "' cannot take the data '" + names.get(ComponentSlot.DATA) + "': " + reason)));
        }
        SamplingGrid grid = null;
        if (samplingLevels != null && sample != null) {
            grid = SamplingGrid.of(samplingLevels, sample.toZero());
            if (sampler != null) {
                SamplingGrid g = grid;
                sampler.incompatibility(grid).ifPresent(reason -> problems.add(new ConfigProblem("sampler.name", "'"
                        + names.get(ComponentSlot.SAMPLER) + "' cannot sample on the grid " + describe(g) + ": " + reason)));
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(MemoryPlan.of(data, model, objective, train, sample, eval, classes).problems(memoryBudget));
        }
        if (!problems.isEmpty()) {
            throw new UserError("the configuration has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                    + ":\n  " + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n  ")));
        }
        Config all = picker.resolved;
        for (String section : List.of("train", "eval")) {
            all = all.withValue(section, Sections.section(given, section).withFallback(defaults.getConfig(section)).root());
        }
        Config sampleSection = Sections.section(given, "sample").withoutPath("schedule")
                .withFallback(defaults.getConfig("sample").withoutPath("schedule"));
        all = all.withValue("sample", sampleSection.withValue("schedule", picker.resolved.getValue("sample.schedule")).root());
        return new ResolvedRun(seed, data, model, objective, schedule, sampler, optimizer, lrSchedule, grid, train, sample,
                eval, names, all);
    }

    private static String describe(SamplingGrid grid) {
        double[] s = grid.sigmas();
        return s.length <= 6 ? java.util.Arrays.toString(s) : String.format(java.util.Locale.ROOT,
                "of %d levels from %.4g to %.4g", s.length, s[0], s[s.length - 1]);
    }

    /** Picks the component of each slot, recording problems, names and the resolved sections. */
    private final class Picker {
        private final Config user;
        private final Config defaults;
        private final List<ConfigProblem> problems;
        private final Map<ComponentSlot, String> names = new EnumMap<>(ComponentSlot.class);
        private Config resolved;

        Picker(Config user, Config defaults, List<ConfigProblem> problems, int seed) {
            this.user = user;
            this.defaults = defaults;
            this.problems = problems;
            this.resolved = ConfigFactory.empty().withValue("seed", ConfigValueFactory.fromAnyRef(seed));
        }

        <T> T pick(ComponentSlot slot) {
            String path = slot.path();
            Config given = Sections.section(user, path);
            String name = defaults.getString(path + ".name");
            if (given.hasPath("name")) {
                Object raw = given.getValue("name").unwrapped();
                if (!(raw instanceof String s)) {
                    problems.add(new ConfigProblem(path + ".name", "expected the name of a " + slot.kind().noun()
                            + ", got " + raw));
                    return null;
                }
                name = s;
            }
            names.put(slot, name);
            Config own = given.withoutPath("name");
            if (slot == ComponentSlot.SAMPLE_SCHEDULE && name.equals(ComponentSlot.TRAINING)) {
                if (!own.isEmpty()) {
                    problems.add(new ConfigProblem(path, "takes no keys with name = " + ComponentSlot.TRAINING
                            + " (the training schedule's levels); choose a schedule by name to set its keys"));
                }
                resolved = resolved.withValue(path, ConfigFactory.empty()
                        .withValue("name", ConfigValueFactory.fromAnyRef(name)).root());
                return null;
            }
            Map<String, Registered> factories = catalog.of(slot.kind());
            Registered registered = factories.get(name);
            if (registered == null) {
                TreeSet<String> known = new TreeSet<>(factories.keySet());
                if (slot == ComponentSlot.SAMPLE_SCHEDULE) {
                    known.add(ComponentSlot.TRAINING);
                }
                problems.add(new ConfigProblem(path + ".name", "unknown " + slot.kind().noun() + " '" + name + "'"
                        + Suggestions.didYouMean(name, known) + "; known: "
                        + (known.isEmpty() ? "none (no plugin provides one)" : String.join(", ", known))));
                return null;
            }
            @SuppressWarnings("unchecked")
            ComponentFactory<T> factory = (ComponentFactory<T>) registered.factory();
            Config factoryDefaults = factory.defaults();
            Settings settings = Settings.of(path, own, factoryDefaults);
            T component = null;
            String what = "creating the " + slot.kind().noun() + " '" + name + "'";
            try {
                component = PluginGuard.call(what, registered.source(), () -> factory.create(settings));
            } catch (SettingsException e) {
                problems.addAll(e.problems());
            } catch (UserError e) {
                problems.add(new ConfigProblem(path, e.getMessage()));
            } catch (RuntimeException | LinkageError e) {
                problems.add(new ConfigProblem(path, "the " + slot.kind().noun() + " '" + name + "' (" + registered.source()
                        + ") failed to start: " + PluginGuard.describe(e)));
            }
            problems.addAll(settings.unreadProblems());
            resolved = resolved.withValue(path, own.withFallback(factoryDefaults)
                    .withValue("name", ConfigValueFactory.fromAnyRef(name)).root());
            return component;
        }

        /** The sampling grid's levels: {@code sample.schedule}'s component, or the training schedule. */
        NoiseSchedule samplingSchedule(NoiseSchedule training) {
            NoiseSchedule own = pick(ComponentSlot.SAMPLE_SCHEDULE);
            return own != null ? own : ComponentSlot.TRAINING.equals(names.get(ComponentSlot.SAMPLE_SCHEDULE)) ? training
                    : null;
        }
    }

    private static Config only(Config c, String key) {
        return c.hasPath(key) ? c.withOnlyPath(key) : ConfigFactory.empty();
    }

    /** Every slot's factories, by slot, for listings. */
    public Map<ComponentSlot, Map<String, Registered>> components() {
        Map<ComponentSlot, Map<String, Registered>> out = new LinkedHashMap<>();
        for (ComponentSlot slot : ComponentSlot.values()) {
            out.put(slot, catalog.of(slot.kind()));
        }
        return out;
    }
}
