package org.score4j.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.function.Function;
import org.score4j.api.spi.ConfigProblem;
import org.score4j.api.spi.Settings;
import org.score4j.api.spi.SettingsException;

/** Reads the runner's own sections ({@code train}, {@code sample}, {@code eval}) strictly. */
public final class Sections {
    private Sections() {
    }

    public static TrainSettings train(Config user, Config defaults, List<ConfigProblem> problems) {
        return read("train", user, defaults, problems, TrainSettings::read);
    }

    public static SampleSettings sample(Config user, Config defaults, List<ConfigProblem> problems) {
        return read("sample", user, defaults, problems, SampleSettings::read);
    }

    public static EvalSettings eval(Config user, Config defaults, List<ConfigProblem> problems) {
        return read("eval", user, defaults, problems, EvalSettings::read);
    }

    /** The section of {@code config} at {@code key}, or an empty one. */
    public static Config section(Config config, String key) {
        return config.hasPath(key) && config.getValue(key).valueType() == com.typesafe.config.ConfigValueType.OBJECT
                ? config.getConfig(key) : ConfigFactory.empty();
    }

    private static <T> T read(String name, Config user, Config defaults, List<ConfigProblem> problems,
                              Function<Settings, T> reader) {
        Settings s = Settings.of(name, section(user, name), defaults.getConfig(name));
        T value = null;
        try {
            value = reader.apply(s);
        } catch (SettingsException e) {
            problems.addAll(e.problems());
        }
        problems.addAll(s.unreadProblems());
        return value;
    }
}
