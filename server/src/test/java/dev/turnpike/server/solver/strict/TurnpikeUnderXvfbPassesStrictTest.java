package dev.turnpike.server.solver.strict;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnpike.server.browser.BrowserSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** The same strict battery with the browser headful under Xvfb: a real window, with real chrome, on a real screen. */
class TurnpikeUnderXvfbPassesStrictTest extends TurnpikePassesStrictTest {

    @Override
    UnaryOperator<BrowserSettings> settings() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/Xvfb")), "Xvfb is not installed");
        return s -> s.withDisplay(BrowserSettings.Display.XVFB);
    }
}
