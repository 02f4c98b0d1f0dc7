package dev.turnpike.server.browser.chromium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.Eventually;
import dev.turnpike.server.browser.OwnProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owning the process: the self-check, and a browser that never outlives its owner. */
class ChromiumProcessTest {

    @TempDir
    Path profiles;

    @Test
    void theSelfCheckPassesWithADesktopIdentityAndLeavesNothing() throws Exception {
        SelfCheck.Report report = SelfCheck.run(BrowserSettings.defaults().withProfileRoot(profiles)
                .withExtraArgs(List.of("--host-resolver-rules=MAP * ^NOTFOUND, EXCLUDE localhost")));
        assertThat(report.userAgent()).doesNotContain("Headless").contains("Chrome/");
        assertThat(OwnProcesses.mentioning(profiles)).isEmpty();
        assertThat(OwnProcesses.profilesIn(profiles)).isEmpty();
    }

    @Test
    void aMissingChromiumFailsTheSelfCheckWithHowToInstallIt() {
        BrowserSettings settings = new BrowserSettings(1, 1, 0, 1, Duration.ofMinutes(1), Duration.ZERO, 0,
                Path.of("/nonexistent/chromium"), profiles, BrowserSettings.Display.HEADLESS, List.of(),
                Duration.ofMinutes(1), 1, Duration.ofMinutes(1), 0);
        assertThatThrownBy(() -> SelfCheck.run(settings)).isInstanceOf(ChromiumUnavailableException.class)
                .hasMessageContaining("/nonexistent/chromium").hasMessageContaining("apt-get install -y chromium");
    }

    @Test
    void aBinaryThatIsNotChromiumFailsTheSelfCheckClearly() {
        BrowserSettings settings = new BrowserSettings(1, 1, 0, 1, Duration.ofMinutes(1), Duration.ZERO, 0,
                Path.of("/bin/false"), profiles, BrowserSettings.Display.HEADLESS, List.of(), Duration.ofMinutes(1),
                1, Duration.ofMinutes(1), 0);
        assertThatThrownBy(() -> SelfCheck.run(settings)).isInstanceOf(ChromiumUnavailableException.class)
                .hasMessageContaining("/bin/false").hasMessageContaining("--version");
    }

    @Test
    void theBrowserDiesWithItsOwnerEvenWhenTheOwnerIsKilled() throws Exception {
        ChromiumInstallation chromium = ChromiumInstallation.discover(null);
        Process owner = new ProcessBuilder("sleep", "600").start();
        ChromiumProcess process = ChromiumProcess.launch(chromium, profiles, chromium.identity().userAgent(),
                true, List.of("--host-resolver-rules=MAP * ^NOTFOUND, EXCLUDE localhost"), Map.of(),
                BrowserSettings.DEFAULT_NICE, Duration.ofSeconds(30), owner.pid());
        long group = process.pgid();
        assertThat(ProcessGroup.browserPid(group)).isPositive();
        owner.destroyForcibly().waitFor();
        Eventually.await("the guard takes the browser down", Duration.ofSeconds(20),
                () -> ProcessGroup.members(group).isEmpty());
        Eventually.await("the guard's remover deletes the profile, with no JVM left to do it", Duration.ofSeconds(20),
                () -> OwnProcesses.profilesIn(profiles).isEmpty());
        process.kill();
        assertThat(OwnProcesses.mentioning(profiles)).isEmpty();
        assertThat(OwnProcesses.profilesIn(profiles)).isEmpty();
    }

    @Test
    void killReturnsOnlyOnceEveryProcessOfTheBrowserIsGoneAndItsProfileDeleted() throws Exception {
        ChromiumInstallation chromium = ChromiumInstallation.discover(null);
        ChromiumProcess process = ChromiumProcess.launch(chromium, profiles, chromium.identity().userAgent(), true,
                List.of("--host-resolver-rules=MAP * ^NOTFOUND, EXCLUDE localhost"), Map.of(), 0, Duration.ofSeconds(30));
        long group = process.pgid();
        List<Long> members = ProcessGroup.members(group);
        assertThat(members).as("the browser and its helpers").hasSizeGreaterThan(1);

        process.kill();

        assertThat(ProcessGroup.members(group)).as("left in the group").isEmpty();
        assertThat(members.stream().filter(ProcessGroup::isRunning).toList()).as("still running").isEmpty();
        assertThat(OwnProcesses.profilesIn(profiles)).isEmpty();
    }

    @Test
    void nothingABrowserMakesIsLeftInTheSystemTempDirectoryEvenAfterASigkill(@TempDir Path systemTemp) throws Exception {
        ChromiumInstallation chromium = ChromiumInstallation.discover(null);
        String userAgent = chromium.identity().userAgent();
        for (int launch = 0; launch < 3; launch++) {
            // The system's temp directory, as the server's environment would name it.
            ChromiumProcess process = ChromiumProcess.launch(chromium, profiles, userAgent, true,
                    List.of("--host-resolver-rules=MAP * ^NOTFOUND, EXCLUDE localhost"),
                    Map.of("TMPDIR", systemTemp.toString()), 0, Duration.ofSeconds(30));
            if (launch == 1) {
                ProcessHandle browser = ProcessHandle.of(ProcessGroup.browserPid(process.pgid())).orElseThrow();
                browser.destroyForcibly();
                Eventually.await("the browser dies of SIGKILL", Duration.ofSeconds(20), () -> !browser.isAlive());
            }
            process.kill();
        }
        try (var left = Files.list(systemTemp)) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).as("left in the system temp dir").isEmpty();
        }
        assertThat(OwnProcesses.profilesIn(profiles)).isEmpty();
    }

    @Test
    void aPooledBrowserRunsNeitherAGpuProcessNorANetworkServiceProcessOfItsOwn() throws Exception {
        ChromiumInstallation chromium = ChromiumInstallation.discover(null);
        ChromiumProcess process = ChromiumProcess.launch(chromium, profiles, chromium.identity().userAgent(), true,
                List.of("--host-resolver-rules=MAP * ^NOTFOUND, EXCLUDE localhost"), Map.of(), 0, Duration.ofSeconds(30));
        try {
            long group = process.pgid();
            // The storage service is a utility process launched at start, as the network service would be.
            Eventually.await("the browser's utility processes start", Duration.ofSeconds(20),
                    () -> commandLines(group).stream().anyMatch(c -> c.contains("storage.mojom.StorageService")));
            assertThat(commandLines(group)).noneMatch(c -> c.contains("network.mojom.NetworkService"))
                    .noneMatch(c -> c.contains("--type=gpu-process"));
        } finally {
            process.kill();
        }
    }

    @Test
    void aBrowserRunsBelowTurnpikesCpuPriority() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path ours = Path.of("/proc/self/autogroup");
        boolean autogroups = Files.exists(ours)
                && Files.readString(Path.of("/proc/sys/kernel/sched_autogroup_enabled")).trim().equals("1");
        assumeTrue(!root || autogroups, "as root, only an autogroup shows the browser's priority, and autogroups are off");
        ChromiumInstallation chromium = ChromiumInstallation.discover(null);
        ChromiumProcess process = ChromiumProcess.launch(chromium, profiles, chromium.identity().userAgent(), true,
                List.of("--host-resolver-rules=MAP * ^NOTFOUND, EXCLUDE localhost"), Map.of(), 10,
                Duration.ofSeconds(30));
        try {
            long group = process.pgid();
            Eventually.await("the browser's utility processes start", Duration.ofSeconds(20),
                    () -> commandLines(group).stream().anyMatch(c -> c.contains("storage.mojom.StorageService")));
            List<Long> browser = ProcessGroup.members(group).stream()
                    .filter(pid -> commandLine(pid).startsWith(chromium.binary().toString())).toList();
            assertThat(browser).as("the browser's processes").hasSizeGreaterThan(2);
            // Root may lower a niceness, and Chromium sets its own threads' (-8 and 0) when it can.
            if (!root) {
                for (long pid : browser) {
                    assertThat(threadNiceness(pid)).as("nice of the threads of process %d", pid).containsOnly(10);
                }
            }
            // Where autogroups weigh sessions against each other, the browser's session is below ours.
            if (autogroups) {
                Eventually.await("the browser's autogroup is at nice 10", Duration.ofSeconds(5),
                        () -> autogroup(browser.getFirst()).endsWith(" nice 10"));
                assertThat(autogroup(browser.getFirst())).isNotEqualTo(Files.readString(ours).trim());
            }
        } finally {
            process.kill();
        }
    }

    private static List<Integer> threadNiceness(long pid) throws IOException {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            // A thread that ended meanwhile has no fields; nice is field 19, the 17th after the command.
            return tasks.map(ProcessGroup::statFields).filter(Objects::nonNull)
                    .map(fields -> Integer.parseInt(fields[16])).toList();
        }
    }

    private static String autogroup(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "autogroup")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return ""; // it ended meanwhile
        }
    }

    private static List<String> commandLines(long group) {
        return ProcessGroup.members(group).stream().map(ChromiumProcessTest::commandLine).toList();
    }
}
