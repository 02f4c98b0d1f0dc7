package dev.turnpike.server.browser.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.AddressPolicy.Verdict;
import dev.turnpike.server.net.HostResolver;
import dev.turnpike.server.net.HostRules;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.testing.LoopbackTrap;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Relays bound direct: the relay resolves, applies the host rules and the address policy, and dials only what was
 * allowed. Every refused name leads to a {@link LoopbackTrap} on 127.0.0.1, so "nothing was dialled" is counted, not assumed:
 * once the relays' I/O threads have stopped, every connection they ever opened to the trap is in its accept queue.
 * All traffic stays on 127.0.0.1; no name is ever asked of DNS.
 */
class DirectRelayTest {

    private static final int TIMEOUT_MS = 10_000;

    private static EchoLab lab;

    private LoopbackTrap trap;
    private ProxyRelays relays;
    private final List<ProxyRelay> opened = new ArrayList<>();

    @BeforeAll
    static void startLab() throws Exception {
        lab = new EchoLab();
    }

    @AfterAll
    static void stopLab() {
        lab.close();
    }

    @BeforeEach
    void startRelays() throws IOException {
        trap = new LoopbackTrap(TIMEOUT_MS);
        // allowed.test: allowed by name, mapped to the lab. trapped.test: mapped to the trap, not allowed, so judged
        // by the loopback address it maps to. open.test: allowed by name and mapped to the trap (the trap's control).
        // sneaky.test: no rule; the resolver answers loopback. proxy.test: allowed by name, resolves to loopback (the
        // proxy of the binding tests, never contacted).
        HostRules rules = HostRules.parse("MAP allowed.test 127.0.0.1:" + lab.address().getPort()
                + ", MAP trapped.test 127.0.0.1:" + trap.port() + ", MAP open.test 127.0.0.1:" + trap.port());
        HostResolver resolver = host -> {
            if (host.equals("sneaky.test") || host.equals("proxy.test")) {
                return List.of(InetAddress.getLoopbackAddress());
            }
            throw new UnknownHostException(host);
        };
        AddressPolicy policy = new AddressPolicy(resolver, List.of("allowed.test", "open.test", "proxy.test"),
                List.of());
        relays = new ProxyRelays(ProxyRelays.Settings.DEFAULTS, new DirectRoute(policy, rules));
    }

    @AfterEach
    void stopRelays() throws IOException {
        stopAllRelays();
        trap.close();
    }

    @Test
    void aConnectToANameMappedToLoopbackIsAnswered403AndNeverDialled() throws Exception {
        ProxyRelay relay = direct();
        try (Wire wire = new Wire(relay.address(), TIMEOUT_MS)) {
            assertThat(wire.connect("trapped.test:443")).startsWith("HTTP/1.1 403 Forbidden");
        }
        assertThat(dialledToTrap()).as("connections opened to the refused target").isZero();
        Refusal refusal = relay.refusalOf("trapped.test").orElseThrow();
        assertThat(refusal.port()).isEqualTo(443);
        assertThat(refusal.decision().verdict()).isEqualTo(Verdict.REFUSED_LOOPBACK);
        assertThat(refusal.decision().address()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(relay.refusals()).containsExactly(refusal);
    }

    @Test
    void aConnectToANameThatResolvesToLoopbackIsAnswered403AndNeverDialled() throws Exception {
        // The port is the trap's: were the resolved address dialled anyway, the trap would count it.
        ProxyRelay relay = direct();
        try (Wire wire = new Wire(relay.address(), TIMEOUT_MS)) {
            assertThat(wire.connect("sneaky.test:" + trap.port())).startsWith("HTTP/1.1 403 Forbidden");
        }
        try (Wire wire = new Wire(relay.address(), TIMEOUT_MS)) {
            assertThat(wire.connect("127.0.0.1:" + trap.port())).startsWith("HTTP/1.1 403 Forbidden");
        }
        assertThat(dialledToTrap()).as("connections opened to the refused targets").isZero();
        assertThat(relay.refusalOf("SNEAKY.test")).as("found whatever the case")
                .hasValueSatisfying(r -> assertThat(r.decision().verdict()).isEqualTo(Verdict.REFUSED_LOOPBACK));
        assertThat(relay.refusalOf("127.0.0.1"))
                .hasValueSatisfying(r -> assertThat(r.decision().verdict()).isEqualTo(Verdict.REFUSED_LOOPBACK));
    }

    @Test
    void anAllowedNameMappedToTheLabIsReachedThroughTheTunnel() throws Exception {
        ProxyRelay relay = direct();
        try (Wire wire = new Wire(relay.address(), TIMEOUT_MS)) {
            assertThat(wire.connect("allowed.test:443")).startsWith("HTTP/1.1 200");
            // Dialled by the relay itself: the lab sees the relay's loopback address, and no proxy header.
            assertThat(wire.getThroughTunnel("allowed.test")).contains("remote=127.0.0.1\n")
                    .contains("proxy-authorization=null\n");
        }
        assertThat(relay.refusals()).isEmpty();
    }

    @Test
    void aPlainRequestToARefusedHostIsAnswered403AndNeverDialled() throws Exception {
        ProxyRelay relay = direct();
        try (Wire wire = new Wire(relay.address(), TIMEOUT_MS)) {
            wire.send("GET http://trapped.test/secret HTTP/1.1\r\nHost: trapped.test\r\n\r\n");
            assertThat(wire.readHead()).startsWith("HTTP/1.1 403 Forbidden");
        }
        assertThat(dialledToTrap()).as("connections opened to the refused target").isZero();
        Refusal refusal = relay.refusalOf("trapped.test").orElseThrow();
        assertThat(refusal.port()).as("the default port of http:").isEqualTo(80);
        assertThat(refusal.decision().verdict()).isEqualTo(Verdict.REFUSED_LOOPBACK);
    }

    @Test
    void aPlainRequestToAnAllowedHostReachesTheLab() throws Exception {
        ProxyRelay relay = direct();
        HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(relay.address())).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://allowed.test/echo?q=1"))
                .timeout(Duration.ofMillis(TIMEOUT_MS)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("remote=127.0.0.1\n").contains("target=/echo?q=1\n");
    }

    @Test
    void anUnboundRelayDialsNothingUntilBoundDirect() throws Exception {
        ProxyRelay relay = track(relays.openUnbound());
        // open.test is allowed and leads to the trap: only the missing binding can keep it from being dialled.
        try (Wire wire = new Wire(relay.address(), TIMEOUT_MS)) {
            wire.send("CONNECT open.test:443 HTTP/1.1\r\nHost: open.test:443\r\n\r\n");
            assertThat(firstByteOrEnd(wire)).as("an unbound relay closes the connection without answering")
                    .isEqualTo(-1);
        }
        assertThat(relay.refusals()).as("not a policy refusal: there was no route at all").isEmpty();

        relay.bindDirect();
        try (Wire wire = new Wire(relay.address(), TIMEOUT_MS)) {
            assertThat(wire.connect("open.test:443")).startsWith("HTTP/1.1 200");
        }
        // One connection: the bound relay's. It is also the trap's control: a dial to it is seen.
        assertThat(dialledToTrap()).isEqualTo(1);
    }

    @Test
    void aRelayBoundDirectCannotBeBoundAgain() throws Exception {
        ProxyRelay relay = direct();
        assertThatThrownBy(relay::bindDirect).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> relay.bind(proxyThatIsNeverContacted())).isInstanceOf(IllegalStateException.class);
        // The first binding stays.
        assertThat(relay.upstream()).isNull();
        try (Wire wire = new Wire(relay.address(), TIMEOUT_MS)) {
            assertThat(wire.connect("allowed.test:443")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aRelayBoundToAProxyCannotBeBoundDirect() throws Exception {
        ProxyRelay relay = track(relays.openUnbound());
        ProxySpec proxy = proxyThatIsNeverContacted();
        relay.bind(proxy);
        assertThatThrownBy(relay::bindDirect).isInstanceOf(IllegalStateException.class);
        assertThat(relay.upstream()).isEqualTo(proxy);
    }

    /** Connections made to the trap, counted once the relays can make no more: their I/O threads have stopped. */
    private int dialledToTrap() throws IOException {
        stopAllRelays();
        return trap.connectionsSoFar();
    }

    private void stopAllRelays() {
        opened.forEach(ProxyRelay::close);
        opened.clear();
        relays.close(); // waits until every task queued on the I/O threads (a connect among them) has run
    }

    private ProxyRelay direct() {
        ProxyRelay relay = track(relays.openUnbound());
        relay.bindDirect();
        return relay;
    }

    private ProxyRelay track(ProxyRelay relay) {
        opened.add(relay);
        return relay;
    }

    /** Binding resolves a name allowed by name and connects nowhere; no browser connection ever uses it here. */
    private ProxySpec proxyThatIsNeverContacted() {
        return new ProxySpec(ProxySpec.Scheme.HTTP, "proxy.test", trap.port(), "u", "p");
    }

    private static int firstByteOrEnd(Wire wire) throws IOException {
        try {
            return wire.in.read();
        } catch (SocketException reset) {
            return -1;
        }
    }
}
