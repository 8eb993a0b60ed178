package org.score4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No package of score4j depends on itself through others: the package graph of every module's classes (read with the
 * JDK's jdeps) has no cycle. This module is the last one built, so every module's classes are there to read.
 */
class ArchitectureTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void thePackageGraphOfEveryModuleHasNoCycle() throws Exception {
        List<String> dirs = new ArrayList<>();
        try (Stream<Path> modules = Stream.concat(Files.list(ROOT), Stream.of(ROOT.resolve("examples/plugin-example")))) {
            for (Path m : modules.toList()) {
                if (Files.isDirectory(m.resolve("target/classes/org")) || Files.isDirectory(m.resolve("target/classes/com"))) {
                    dirs.add(m.resolve("target/classes").toString());
                }
            }
        }
        assertThat(dirs).as("modules with compiled classes").hasSizeGreaterThan(10);
        Map<String, Set<String>> graph = packageGraph(dirs);
        assertThat(graph).containsKeys("org.score4j.api", "org.score4j.core.app", "org.score4j.runner");
        List<List<String>> cycles = cycles(graph);
        assertThat(cycles).as("package cycles (each a strongly connected set of packages)").isEmpty();
    }

    /** Package → the score4j packages it uses, from jdeps. */
    static Map<String, Set<String>> packageGraph(List<String> classDirs) {
        List<String> args = new ArrayList<>(List.of("-verbose:package", "-filter:none", "-e", "(org\\.score4j|com\\.example)\\..*"));
        args.addAll(classDirs);
        StringWriter out = new StringWriter();
        int rc = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(out),
                args.toArray(String[]::new));
        assertThat(rc).as(out.toString()).isZero();
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : out.toString().lines().toList()) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 3 && parts[1].equals("->") && parts[0].contains(".") && !parts[0].equals(parts[2])) {
                graph.computeIfAbsent(parts[0], k -> new TreeSet<>()).add(parts[2]);
                graph.computeIfAbsent(parts[2], k -> new TreeSet<>());
            }
        }
        return graph;
    }

    /** Tarjan's strongly connected components of more than one package. */
    static List<List<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new java.util.HashSet<>();
        List<List<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<List<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }
}
