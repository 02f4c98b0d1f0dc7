package dev.turnpike.server.solver.strict;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnpike.server.browser.BrowserSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;

/** The same strict battery with the browser headful under Xvfb: a real window, with real chrome, on a real screen. */
class TurnpikeUnderXvfbPassesStrictTest extends TurnpikePassesStrictTest {

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/chromium/chromium")), "Chromium is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/Xvfb")), "Xvfb is not installed");
        strict = StrictLab.start(CONCURRENCY, s -> s.withDisplay(BrowserSettings.Display.XVFB));
    }
}
