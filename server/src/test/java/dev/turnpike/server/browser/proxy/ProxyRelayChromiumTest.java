package dev.turnpike.server.browser.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnpike.lab.proxy.ForwardProxy;
import dev.turnpike.lab.proxy.ProxyAccount;
import dev.turnpike.lab.proxy.ProxyAccounts;
import dev.turnpike.lab.proxy.ProxyFault;
import dev.turnpike.server.browser.TestPools;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.Cidr;
import dev.turnpike.server.net.HostRules;
import dev.turnpike.server.net.ProxySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The relay with the client it exists for: a real Chromium uses it as its proxy and reaches the lab through a
 * SOCKS5 proxy with a password, which Chromium cannot do by itself.
 */
class ProxyRelayChromiumTest {

    /** Direct routes refuse every private target (these tests go through a proxy). */
    private static final DirectRoute NO_DIRECT_ROUTE = new DirectRoute(new AddressPolicy(TestPools.LOOPBACK_ONLY, List.of(),
            List.of(Cidr.parse("127.0.0.0/8"))), HostRules.none());

    private static final Path CHROMIUM = Path.of("/usr/lib/chromium/chromium");

    @Test
    void chromiumReachesTheLabThroughASocks5ProxyWithPassword() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed");
        ProxyAccounts accounts = new ProxyAccounts();
        accounts.put(new ProxyAccount("alice", "a-secret", "203.0.113.7", ProxyFault.NONE));
        try (EchoLab lab = new EchoLab();
             ForwardProxy labProxy = ForwardProxy.builder(accounts, (host, port) -> host.equals("lab.test")
                     ? Optional.of(port == 443 ? lab.tlsAddress() : lab.address()) : Optional.empty()).start();
             ProxyRelays relays = new ProxyRelays(ProxyRelays.Settings.DEFAULTS, NO_DIRECT_ROUTE);
             ProxyRelay relay = relays.open(new ProxySpec(ProxySpec.Scheme.SOCKS5, "127.0.0.1",
                     labProxy.socksAddress().getPort(), "alice", "a-secret"))) {

            String page = dumpDom(relay, "https://lab.test/echo?via=chromium");

            assertThat(page).contains("remote=203.0.113.7").contains("target=/echo?via=chromium");
            assertThat(relay.firstFailure()).isNotDone();
        }
    }

    /** Loads one URL in a throwaway headless Chromium and returns its DOM; everything but the relay is unreachable. */
    private static String dumpDom(ProxyRelay relay, String url) throws Exception {
        Path profile = Files.createTempDirectory("turnpike-relay-test-");
        Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--proxy-server=" + relay.proxyServer(),
                // The proxy's own address must be excluded too, or "MAP *" swallows it (ERR_PROXY_CONNECTION_FAILED).
                "--host-resolver-rules=MAP * ^NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
                "--ignore-certificate-errors", "--dump-dom", url)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            String dom = new String(chromium.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(chromium.waitFor(60, TimeUnit.SECONDS)).as("Chromium exits after --dump-dom").isTrue();
            return dom;
        } finally {
            List<ProcessHandle> tree = Stream.concat(chromium.descendants(), Stream.of(chromium.toHandle())).toList();
            tree.forEach(ProcessHandle::destroyForcibly);
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
