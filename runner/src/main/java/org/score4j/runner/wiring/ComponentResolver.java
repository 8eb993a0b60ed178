package org.score4j.runner.wiring;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.score4j.api.Dataset;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;
import org.score4j.api.Sampler;
import org.score4j.api.spi.ComponentFactory;
import org.score4j.api.spi.ConfigProblem;
import org.score4j.api.spi.DatasetFactory;
import org.score4j.api.spi.ModelBlueprint;
import org.score4j.api.spi.ModelFactory;
import org.score4j.api.spi.ObjectiveFactory;
import org.score4j.api.spi.SamplerFactory;
import org.score4j.api.spi.ScheduleFactory;
import org.score4j.api.spi.Settings;
import org.score4j.api.spi.SettingsException;
import org.score4j.api.spi.Suggestions;
import org.score4j.runner.ComponentKind;
import org.score4j.runner.UserError;
import org.score4j.runner.config.ConfigSources;
import org.score4j.runner.config.EvalSettings;
import org.score4j.runner.config.RunnerSections;
import org.score4j.runner.config.SampleSettings;
import org.score4j.runner.config.TrainSettings;

/**
 * Turns a user's configuration into a {@link ResolvedRun}: picks each component by name from the
 * bound factories, hands it its section, and collects every problem into one error.
 */
public final class ComponentResolver {
    private final Map<String, DatasetFactory> datasets;
    private final Map<String, ModelFactory> models;
    private final Map<String, ObjectiveFactory> objectives;
    private final Map<String, ScheduleFactory> schedules;
    private final Map<String, SamplerFactory> samplers;

    @Inject
    public ComponentResolver(Map<String, DatasetFactory> datasets, Map<String, ModelFactory> models,
                             Map<String, ObjectiveFactory> objectives, Map<String, ScheduleFactory> schedules,
                             Map<String, SamplerFactory> samplers) {
        this.datasets = Map.copyOf(datasets);
        this.models = Map.copyOf(models);
        this.objectives = Map.copyOf(objectives);
        this.schedules = Map.copyOf(schedules);
        this.samplers = Map.copyOf(samplers);
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
        Settings seedSettings = Settings.of("", only(user, "seed"), only(defaults, "seed"));
        int seed = seedSettings.integer("seed", 0);
        problems.addAll(seedSettings.problems());

        Map<ComponentKind, String> names = new EnumMap<>(ComponentKind.class);
        Config[] resolved = {ConfigFactory.empty().withValue("seed", ConfigValueFactory.fromAnyRef(seed))};
        Dataset data = pick(ComponentKind.DATA, datasets, user, defaults, problems, names, resolved);
        ModelBlueprint model = pick(ComponentKind.MODEL, models, user, defaults, problems, names, resolved);
        Objective objective = pick(ComponentKind.OBJECTIVE, objectives, user, defaults, problems, names, resolved);
        NoiseSchedule schedule = pick(ComponentKind.SCHEDULE, schedules, user, defaults, problems, names, resolved);
        Sampler sampler = pick(ComponentKind.SAMPLER, samplers, user, defaults, problems, names, resolved);
        if (data != null && objective != null) {
            objective.incompatibility(data.exampleShape()).ifPresent(reason -> problems.add(new ConfigProblem(
                    ComponentKind.OBJECTIVE.section() + ".name", "'" + names.get(ComponentKind.OBJECTIVE)
                    + "' cannot train on the data '" + names.get(ComponentKind.DATA) + "': " + reason)));
        }
        if (data != null && model != null) {
            model.incompatibility(data.exampleShape()).ifPresent(reason -> problems.add(new ConfigProblem(
                    ComponentKind.MODEL.section() + ".name", "'" + names.get(ComponentKind.MODEL)
                    + "' cannot take the data '" + names.get(ComponentKind.DATA) + "': " + reason)));
        }
        TrainSettings train = RunnerSections.train(user, defaults, problems);
        SampleSettings sample = RunnerSections.sample(user, defaults, problems);
        EvalSettings eval = RunnerSections.eval(user, defaults, problems);
        if (!problems.isEmpty()) {
            throw new UserError("the configuration has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                    + ":\n  " + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n  ")));
        }
        Config all = resolved[0];
        for (String section : List.of("train", "sample", "eval")) {
            all = all.withValue(section, RunnerSections.section(user, section).withFallback(defaults.getConfig(section)).root());
        }
        return new ResolvedRun(seed, data, models.get(names.get(ComponentKind.MODEL)), model, objective, schedule, sampler,
                train, sample, eval, names, all);
    }

    private static <T, F extends ComponentFactory<T>> T pick(ComponentKind kind, Map<String, F> factories, Config user,
                                                              Config defaults, List<ConfigProblem> problems,
                                                              Map<ComponentKind, String> names, Config[] resolved) {
        String section = kind.section();
        Config given = RunnerSections.section(user, section);
        String name = defaults.getString(section + ".name");
        if (given.hasPath("name")) {
            Object raw = given.getValue("name").unwrapped();
            if (!(raw instanceof String s)) {
                problems.add(new ConfigProblem(section + ".name", "expected the name of a " + kind.noun() + ", got " + raw));
                return null;
            }
            name = s;
        }
        F factory = factories.get(name);
        if (factory == null) {
            TreeSet<String> known = new TreeSet<>(factories.keySet());
            problems.add(new ConfigProblem(section + ".name", "unknown " + kind.noun() + " '" + name + "'"
                    + Suggestions.didYouMean(name, known) + "; known: "
                    + (known.isEmpty() ? "none (no plugin provides one)" : String.join(", ", known))));
            return null;
        }
        Config own = given.withoutPath("name");
        Settings settings = Settings.of(section, own, factory.defaults());
        T component = null;
        try {
            component = factory.create(settings);
        } catch (SettingsException e) {
            problems.addAll(e.problems());
        } catch (RuntimeException e) {
            problems.add(new ConfigProblem(section, "the " + kind.noun() + " '" + name + "' failed to start: " + e));
        }
        problems.addAll(settings.unreadProblems());
        names.put(kind, name);
        resolved[0] = resolved[0].withValue(section, own.withFallback(factory.defaults())
                .withValue("name", ConfigValueFactory.fromAnyRef(name)).root());
        return component;
    }

    private static Config only(Config c, String key) {
        return c.hasPath(key) ? c.withOnlyPath(key) : ConfigFactory.empty();
    }
}
