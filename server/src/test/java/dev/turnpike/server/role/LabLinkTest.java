package dev.turnpike.server.role;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.server.browser.TestPools;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.net.AddressPolicy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, item 4: {@code --lab} allows the lab's own ports on 127.0.0.1 and no other port there (Turnpike's API,
 * its database, the browsers' DevTools, the lab's admin API), and reads the same from a lab in this process as from a
 * running lab's {@code /info}, which every role attaches to.
 */
class LabLinkTest {

    @Test
    void aLabAllowsItsOwnPortsOnLoopbackAndNoOtherEmbeddedOrAttached() throws Exception {
        try (Lab lab = Lab.start(LabOptions.defaults());
             ServerSocket otherService = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LabLink embedded = LabLink.of(lab);
            LabLink attached = LabLink.attach(URI.create("http://127.0.0.1:" + lab.adminPort()));
            assertThat(attached).isEqualTo(embedded);
            AddressPolicy policy = PolicyFromSettings.of(Config.of(embedded.settings(Config.of(Map.of()))),
                    TestPools.LOOPBACK_ONLY);

            List<Integer> labPorts = List.of(lab.httpsPort(), lab.httpPort(), lab.proxyHttpPort(), lab.proxySocksPort());
            assertThat(labPorts).allMatch(port -> port > 0);
            for (int port : labPorts) {
                assertThat(policy.check("127.0.0.1", port).allowed()).as("the lab's port %d", port).isTrue();
            }
            for (int port : List.of(lab.adminPort(), otherService.getLocalPort(), 5432, 9222)) {
                assertThat(policy.check("127.0.0.1", port).verdict()).as("port %d", port)
                        .isEqualTo(AddressPolicy.Verdict.REFUSED_LOOPBACK);
                assertThat(policy.check("localhost", port).allowed()).as("localhost:%d", port).isFalse();
            }
            assertThat(policy.check("demo.lab.test", 443).verdict()).as("the lab's names, by name")
                    .isEqualTo(AddressPolicy.Verdict.ALLOWED_BY_NAME);
            assertThat(policy.check("challenges.cloudflare.com", 443).allowed()).isTrue();
        }
    }
}
