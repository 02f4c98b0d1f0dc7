package dev.turnpike.server.structure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.fixtures.PackageGraph;
import dev.turnpike.server.Main;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The server's packages import each other without a cycle, so each can be read (and replaced) starting from the
 * ones it uses. Same graph by hand: {@code jdeps -verbose:package -e 'dev\.turnpike\..*' server/target/classes}.
 */
class PackageCyclesTest {

    @Test
    void serverPackagesImportEachOtherWithoutACycle() {
        PackageGraph graph = PackageGraph.read(PackageGraph.classesOf(Main.class), "dev.turnpike.server");

        Set<Set<String>> cycles = graph.cycles();

        assertThat(cycles).as("package cycles (the imports inside each):%n%s", graph.describe(cycles)).isEmpty();
    }
}
