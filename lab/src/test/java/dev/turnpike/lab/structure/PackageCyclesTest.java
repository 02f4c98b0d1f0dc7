package dev.turnpike.lab.structure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.fixtures.PackageGraph;
import dev.turnpike.lab.Lab;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The lab's packages import each other without a cycle: the root package ({@code Lab}, {@code LabAdmin}, the
 * command line) wires the rest, {@code core} is used by all and uses none. Same graph by hand:
 * {@code jdeps -verbose:package -e 'dev\.turnpike\..*' lab/target/classes}.
 */
class PackageCyclesTest {

    @Test
    void labPackagesImportEachOtherWithoutACycle() {
        PackageGraph graph = PackageGraph.read(PackageGraph.classesOf(Lab.class), "dev.turnpike.lab");

        Set<Set<String>> cycles = graph.cycles();

        assertThat(cycles).as("package cycles (the imports inside each):%n%s", graph.describe(cycles)).isEmpty();
    }
}
