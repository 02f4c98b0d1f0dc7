package dev.turnpike.server.structure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.server.Main;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The server's packages import each other without a cycle, so each can be read (and replaced) starting from the
 * ones it uses. Same graph by hand: {@code jdeps -verbose:package -e 'dev\.turnpike\..*' server/target/classes}.
 */
class PackageCyclesTest {

    @Test
    void serverPackagesImportEachOtherWithoutACycle() throws URISyntaxException {
        PackageGraph graph = PackageGraph.read(classesOf(Main.class), "dev.turnpike.server");

        Set<Set<String>> cycles = graph.cycles();

        assertThat(cycles).as("package cycles (the imports inside each):%n%s", describe(graph, cycles)).isEmpty();
    }

    private static String describe(PackageGraph graph, Set<Set<String>> cycles) {
        return cycles.stream().map(c -> c + ": " + graph.edgesWithin(c)).collect(Collectors.joining("\n"));
    }

    private static Path classesOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
