package dev.turnpike.server.solver.strict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyMode;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The judge can fail Turnpike: with one of its protections turned off — from the test, by a flag that overrides
 * the product's or by a second DevTools client — a strict widget refuses it, and the event log names the check.
 */
class TurnpikeWithAProtectionOffTest {

    @BeforeAll
    static void chromium() {
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/chromium/chromium")), "Chromium is not installed");
    }

    /** One fast-mode solve on a strict sitekey; the names of the checks that fired (the solve must fail). */
    static List<String> firedFor(UnaryOperator<BrowserSettings> protectionOff, Map<String, String> naiveCommands)
            throws Exception {
        try (StrictLab strict = StrictLab.start(1, protectionOff)) {
            Sitekey key = strict.lab.admin().registerSitekey(new Sitekey("0x4AAAAAAAprotectionOff",
                    "0x4AAAAAAAprotectionOffSecret", List.of("lab.test"), SitekeyMode.MANAGED, 8, 0, null));
            strict.lab.admin().setSitekeyStrict(key.sitekey(), true);
            TaskSpec task = new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS,
                    URI.create("https://shop.lab.test/form"), key.sitekey(), "login", "off", null, null, null);
            SecondDevToolsClient naive = naiveCommands.isEmpty() ? null
                    : SecondDevToolsClient.attach(strict.profiles(), naiveCommands);
            try {
                Throwable failure = catchThrowable(() -> strict.turnstile.solve(task, Instant.now().plusSeconds(60)));
                assertThat(failure).as("the solve must fail").isNotNull();
            } finally {
                if (naive != null) {
                    naive.close();
                }
            }
            return new ArrayList<>(strict.fired());
        }
    }

    static UnaryOperator<BrowserSettings> extraArg(String arg) {
        return s -> {
            List<String> args = new ArrayList<>(s.extraArgs());
            args.add(arg);
            return s.withExtraArgs(args);
        };
    }

    @Test
    void withTheAutomationFlagBackNavigatorWebdriverFires() throws Exception {
        // (Measured: a second --disable-blink-features on the command line does not undo AutomationControlled.)
        assertThat(firedFor(s -> s, SecondDevToolsClient.AUTOMATION_ON)).containsExactly("webdriver");
    }

    @Test
    void withHeadlessDefaultScreenTheWindowMetricsFire() throws Exception {
        assertThat(firedFor(extraArg("--screen-info={800x600}"), Map.of())).containsExactly("window-metrics");
    }

    @Test
    void withRuntimeEnabledByADevToolsClientTheConsoleProbeFires() throws Exception {
        assertThat(firedFor(s -> s, SecondDevToolsClient.RUNTIME_ENABLE)).containsExactly("devtools-listening");
    }
}
