package dev.turnpike.server.solver.strict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyMode;
import dev.turnpike.lab.proxy.ProxyAccount;
import dev.turnpike.lab.proxy.ProxyFault;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the exit's country comes from when the site cannot say, and what a task presents when nothing can: a strict
 * widget judges each, and the solution says what was presented.
 */
class IdentityFollowsTheProxyTest {

    static StrictLab strict;
    static Sitekey key;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/chromium/chromium")), "Chromium is not installed");
        strict = StrictLab.start(2, s -> s);
    }

    @AfterAll
    static void stop() throws Exception {
        if (strict != null) {
            strict.close();
        }
    }

    @BeforeEach
    void reset() {
        strict.lab.admin().reset();
        strict.registerProxyAccounts();
        key = strict.lab.admin().registerSitekey(new Sitekey("0x4AAAAAAAidentity", "0x4AAAAAAAidentitySecret",
                List.of("lab.test"), SitekeyMode.MANAGED, 8, 0, null));
        strict.lab.admin().setSitekeyStrict(key.sitekey(), true);
    }

    static Solution.Identity solvedWith(String url, ProxySpec proxy) throws Exception {
        TaskSpec task = new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS, URI.create(url), key.sitekey(), "login",
                "identity", null, null, proxy);
        Solution.Turnstile solution = (Solution.Turnstile) strict.turnstile.solve(task, Instant.now().plusSeconds(90));
        assertThat(strict.firedDetails()).as("strict checks that fired").isEmpty();
        return solution.identity();
    }

    @Test
    void aSiteNotBehindCloudflareLearnsTheExitFromTurnstilesOwnHost() throws Exception {
        // The lab knows no such host: its trace is the lab's 404, as a site not behind Cloudflare has none.
        Solution.Identity identity = solvedWith("https://not-behind-cloudflare.lab.test/signup", strict.proxy(1));
        assertThat(identity.country()).isEqualTo("JP");
        assertThat(identity.timeZone()).isEqualTo("Asia/Tokyo");
        assertThat(identity.languages()).startsWith("ja-JP", "ja");
        assertThat(identity.source()).isEqualTo("proxy");
        assertThat(strict.lab.admin().events().stream().filter(e -> e.type().equals("trace.served"))
                .map(e -> e.fields().get("host"))).containsExactly("challenges.cloudflare.com");
    }

    @Test
    void aProxyWithoutACountryPresentsTheMachinesOwnAndSaysWhy() throws Exception {
        strict.lab.admin().registerProxyAccount(new ProxyAccount("nowhere", "nowhere-pass", "192.0.2.200",
                ProxyFault.NONE, null));
        ProxySpec nowhere = new ProxySpec(ProxySpec.Scheme.HTTP, "127.0.0.1", strict.lab.proxyHttpPort(), "nowhere",
                "nowhere-pass");
        Solution.Identity identity = solvedWith("https://shop.lab.test/form", nowhere);
        assertThat(identity.source()).isEqualTo("machine");
        assertThat(identity.fallback()).isEqualTo("no-country");
        assertThat(identity.country()).isNull();
        assertThat(identity.languages()).containsExactly("en-US", "en");
    }

    @Test
    void aProxylessTaskPresentsTheMachinesOwn() throws Exception {
        Solution.Identity identity = solvedWith("https://shop.lab.test/form", null);
        assertThat(identity.source()).isEqualTo("machine");
        assertThat(identity.fallback()).isNull();
        assertThat(identity.timeZone()).isEqualTo(java.time.ZoneId.systemDefault().getId());
    }

    @Test
    void theSameProxyTracedOnceServesTheNextTaskFromMemory() throws Exception {
        solvedWith("https://shop.lab.test/form", strict.proxy(2));
        long traces = traces();
        Solution.Identity again = solvedWith("https://shop.lab.test/form", strict.proxy(2));
        assertThat(again.country()).isEqualTo("BR");
        assertThat(traces()).as("no second trace").isEqualTo(traces);
    }

    /** The traces the lab answered. */
    static long traces() {
        return strict.lab.admin().events().stream().filter(e -> e.type().equals("trace.served")).count();
    }
}
