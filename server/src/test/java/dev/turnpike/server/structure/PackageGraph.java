package dev.turnpike.server.structure;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;

/**
 * Which package imports which, read from compiled classes by the JDK's own {@code jdeps}, the same graph the
 * command {@code jdeps -verbose:package -e 'dev\.turnpike\..*' server/target/classes} prints.
 */
final class PackageGraph {

    private final String prefix;
    private final Map<String, Set<String>> edges;

    private PackageGraph(String prefix, Map<String, Set<String>> edges) {
        this.prefix = prefix;
        this.edges = edges;
    }

    /** The graph of the packages under {@code prefix} in a directory of compiled classes. */
    static PackageGraph read(Path classes, String prefix) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("this JDK has no jdeps"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package",
                "-e", prefix.replace(".", "\\.") + "(\\..*)?", classes.toString());
        if (exit != 0) {
            throw new IllegalStateException("jdeps failed (" + exit + "): " + err);
        }
        Map<String, Set<String>> edges = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 3 && words[1].equals("->") && isUnder(words[0], prefix) && isUnder(words[2], prefix)
                    && !words[0].equals(words[2])) {
                edges.computeIfAbsent(words[0], k -> new TreeSet<>()).add(words[2]);
            }
        }
        if (edges.isEmpty()) {
            throw new IllegalStateException("jdeps found no package under " + prefix + " in " + classes);
        }
        return new PackageGraph(prefix, edges);
    }

    private static boolean isUnder(String pkg, String prefix) {
        return pkg.equals(prefix) || pkg.startsWith(prefix + ".");
    }

    /**
     * The cycles: every group of packages that reach each other (a strongly connected component of more than
     * one package), each as the package names after the prefix, e.g. {@code [task, queue]}.
     */
    Set<Set<String>> cycles() {
        Set<Set<String>> cycles = new HashSet<>();
        new Tarjan(edges).components().stream().filter(c -> c.size() > 1)
                .forEach(c -> cycles.add(c.stream().map(this::shortName).collect(TreeSet::new, Set::add, Set::addAll)));
        return cycles;
    }

    /** The imports inside one cycle, for the failure message: "task -> queue". */
    List<String> edgesWithin(Set<String> cycle) {
        List<String> out = new ArrayList<>();
        edges.forEach((from, tos) -> tos.forEach(to -> {
            if (cycle.contains(shortName(from)) && cycle.contains(shortName(to))) {
                out.add(shortName(from) + " -> " + shortName(to));
            }
        }));
        return out;
    }

    private String shortName(String pkg) {
        return pkg.equals(prefix) ? "(root)" : pkg.substring(prefix.length() + 1);
    }

    /** Tarjan's strongly connected components. */
    private static final class Tarjan {
        private final Map<String, Set<String>> edges;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new HashSet<>();
        private final List<Set<String>> components = new ArrayList<>();

        Tarjan(Map<String, Set<String>> edges) {
            this.edges = edges;
        }

        List<Set<String>> components() {
            Set<String> nodes = new TreeSet<>(edges.keySet());
            edges.values().forEach(nodes::addAll);
            for (String node : nodes) {
                if (!index.containsKey(node)) {
                    visit(node);
                }
            }
            return components;
        }

        private void visit(String node) {
            index.put(node, index.size());
            low.put(node, index.get(node));
            stack.push(node);
            onStack.add(node);
            for (String next : edges.getOrDefault(node, Set.of())) {
                if (!index.containsKey(next)) {
                    visit(next);
                    low.put(node, Math.min(low.get(node), low.get(next)));
                } else if (onStack.contains(next)) {
                    low.put(node, Math.min(low.get(node), index.get(next)));
                }
            }
            if (low.get(node).equals(index.get(node))) {
                Set<String> component = new TreeSet<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.add(member);
                } while (!member.equals(node));
                components.add(component);
            }
        }
    }
}
