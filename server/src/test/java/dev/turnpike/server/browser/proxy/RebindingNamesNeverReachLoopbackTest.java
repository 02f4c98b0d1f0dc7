package dev.turnpike.server.browser.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.server.api.Callbacks;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.CheckedDialer;
import dev.turnpike.server.net.HostResolver;
import dev.turnpike.server.net.HostRules;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.net.RefusedAddressException;
import dev.turnpike.server.task.Dialect;
import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import dev.turnpike.server.testing.LoopbackTrap;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, items 1 and 2: a name whose first answer is public and whose later answers are 127.0.0.1 (DNS
 * rebinding), tried {@value #ATTEMPTS} times on each way out of Turnpike: the page (the relay bound direct), the
 * task's proxy (the relay bound to it) and the {@code callbackUrl}. "localhost" is the rebinding name: were anything
 * to look it up again through the system, it would find the {@link LoopbackTrap}, which counts every connection.
 * The injected resolver is the only DNS; no public address is ever dialled (the callback's network stands in for it).
 */
class RebindingNamesNeverReachLoopbackTest {

    private static final int ATTEMPTS = 20;
    private static final int TIMEOUT_MS = 5_000;
    private static final String NAME = "localhost";
    private static final InetAddress PUBLIC = address("203.0.113.9");

    private LoopbackTrap trap;

    @BeforeEach
    void openTrap() throws IOException {
        trap = new LoopbackTrap(TIMEOUT_MS);
    }

    @AfterEach
    void closeTrap() throws IOException {
        trap.close();
    }

    @Test
    void aRebindingProxyNameNeverGetsTheConnectNorItsCredentials() throws Exception {
        int refused = 0;
        for (int i = 0; i < ATTEMPTS; i++) {
            AddressPolicy policy = AddressPolicy.strict(rebinding());
            assertThat(policy.check(NAME, trap.port()).allowed()).as("createTask judged the first, public answer")
                    .isTrue();
            try (ProxyRelays relays = new ProxyRelays(new ProxyRelays.Settings(Duration.ofMillis(500),
                    Duration.ofMillis(500), 1), new DirectRoute(policy, HostRules.none()))) {
                ProxyRelay relay = relays.openUnbound();
                try {
                    relay.bind(new ProxySpec(ProxySpec.Scheme.HTTP, NAME, trap.port(), "user", "proxy-secret"));
                    browseThrough(relay, "site.example:443");
                } catch (RefusedAddressException e) {
                    refused++;
                } finally {
                    relay.close();
                }
            }
        }
        assertThat(trap.connectionsSoFar()).as("connections that reached loopback").isZero();
        assertThat(refused).as("the solver was told why: the proxy's address is refused").isEqualTo(ATTEMPTS);
    }

    @Test
    void aRebindingPageNameIsNeverDialledAtItsLoopbackAnswer() throws Exception {
        for (int i = 0; i < ATTEMPTS; i++) {
            AddressPolicy policy = AddressPolicy.strict(rebinding());
            assertThat(policy.check(NAME, trap.port()).allowed()).as("createTask judged the first, public answer")
                    .isTrue();
            try (ProxyRelays relays = new ProxyRelays(ProxyRelays.Settings.DEFAULTS,
                    new DirectRoute(policy, HostRules.none()))) {
                ProxyRelay relay = relays.openUnbound();
                relay.bindDirect();
                assertThat(browseThrough(relay, NAME + ":" + trap.port())).startsWith("HTTP/1.1 403");
                relay.close();
            }
        }
        assertThat(trap.connectionsSoFar()).as("connections that reached loopback").isZero();
    }

    @Test
    void aRebindingCallbackNameIsSentOnlyToTheAddressItWasJudgedBy() throws Exception {
        List<InetSocketAddress> dialled = new ArrayList<>();
        CheckedDialer.Connector network = (address, timeout) -> {
            if (address.getAddress().isLoopbackAddress()) {
                return CheckedDialer.Connector.tcp().connect(address, timeout);
            }
            dialled.add(address); // a public address: this test's network reaches none
            throw new ConnectException("no route to " + address + " in this test");
        };
        for (int i = 0; i < ATTEMPTS; i++) {
            // The task ends and its callback is due: its name is looked up, first answer public, then loopback.
            CheckedDialer dialer = new CheckedDialer(AddressPolicy.strict(rebinding()), network);
            try (Callbacks callbacks = new Callbacks(dialer, Duration.ofMillis(TIMEOUT_MS), Runnable::run)) {
                callbacks.taskEnded(taskWithCallback(URI.create("http://" + NAME + ":" + trap.port() + "/cb")));
            }
        }
        assertThat(trap.connectionsSoFar()).as("connections that reached loopback").isZero();
        assertThat(dialled).as("each callback went to the address it was judged by, once")
                .hasSize(ATTEMPTS).allMatch(a -> a.getAddress().equals(PUBLIC) && a.getPort() == trap.port());
    }

    /** A fresh rebinding name: public to the first lookup, 127.0.0.1 to every later one. */
    private static HostResolver rebinding() {
        AtomicInteger lookups = new AtomicInteger();
        return host -> {
            if (!host.equals(NAME)) {
                throw new UnknownHostException(host);
            }
            return List.of(lookups.getAndIncrement() == 0 ? PUBLIC : InetAddress.getLoopbackAddress());
        };
    }

    /** What a browser does with the relay: a CONNECT; the relay's answer head (empty if it closed without one). */
    private static String browseThrough(ProxyRelay relay, String target) throws IOException {
        try (Wire wire = new Wire(relay.address(), TIMEOUT_MS)) {
            return wire.connect(target);
        } catch (IOException e) {
            return "";
        }
    }

    private static Task taskWithCallback(URI callbackUrl) {
        TaskSpec spec = new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS, URI.create("https://site.example/"),
                "0x4AAAAAAAB", null, null, null, null, null);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new Task(new TaskId(1), 1, "tp_test", spec, 10, now, now.plusSeconds(120), callbackUrl, Dialect.CREATE_TASK);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
