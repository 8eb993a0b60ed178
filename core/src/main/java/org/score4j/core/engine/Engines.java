package org.score4j.core.engine;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.score4j.core.UserError;

/** The engines on the class path, by name; {@code local} (this process) is always there and has no provider. */
public final class Engines {
    public static final String LOCAL = "local";

    private Engines() {
    }

    /** The engines other than {@code local}, by name. */
    public static Map<String, EngineProvider> available() {
        Map<String, EngineProvider> found = new TreeMap<>();
        for (EngineProvider p : ServiceLoader.load(EngineProvider.class, Engines.class.getClassLoader())) {
            found.put(p.name(), p);
        }
        return found;
    }

    /**
     * Opens the engine {@code name}.
     *
     * @throws UserError for an unknown engine, listing the engines there are, or for engine settings given to the local
     *                   engine
     */
    public static Engine open(String name, EngineSettings settings) {
        if (LOCAL.equals(name)) {
            if (settings.master() != null || !settings.conf().isEmpty()) {
                throw new UserError((settings.master() != null ? "--master" : "--conf")
                        + " is a setting of an engine; add --engine spark");
            }
            return new LocalEngine(settings);
        }
        Map<String, EngineProvider> found = available();
        EngineProvider p = found.get(name);
        if (p == null) {
            List<String> known = new java.util.ArrayList<>(List.of(LOCAL));
            known.addAll(found.keySet());
            String hint = "spark".equals(name) ? " The spark engine is the runner-spark module: build the whole project "
                    + "(mvn install) and start score4j with its launcher, which puts runner-spark on the class path." : "";
            throw new UserError("unknown engine '" + name + "'; known engines: " + String.join(", ", known) + "." + hint);
        }
        return p.open(settings);
    }
}
