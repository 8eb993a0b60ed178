package org.score4j.core.plugins;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Loads a plugin directory's jars, its own classes first. The API, the network engine ({@code org.score4j.nn}: its
 * layers, kernels and SameDiff base for third-party models), ND4J, Typesafe Config and SLF4J (and the JDK) always come
 * from the host, so plugin and host agree on the types they exchange and the engine's process-wide state (its oneDNN
 * engine, kernel threads and natives) exists once.
 */
final class PluginClassLoader extends URLClassLoader {
    static final List<String> HOST_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "org.score4j.api.", "org.score4j.nn.", "org.nd4j.", "com.typesafe.config.", "org.slf4j.");

    static {
        registerAsParallelCapable();
    }

    PluginClassLoader(String name, URL[] jars, ClassLoader host) {
        super(name, jars, host);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (fromHost(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException e) {
                    c = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        return own != null ? own : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> all = new ArrayList<>(Collections.list(findResources(name)));
        all.addAll(Collections.list(getParent().getResources(name)));
        return Collections.enumeration(all);
    }

    private static boolean fromHost(String className) {
        for (String p : HOST_PACKAGES) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
