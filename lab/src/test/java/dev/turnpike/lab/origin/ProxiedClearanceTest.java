package dev.turnpike.lab.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.core.LabEvent;
import dev.turnpike.lab.core.LabHost;
import dev.turnpike.lab.origin.OriginHarness.ChallengePageFields;
import dev.turnpike.lab.proxy.ProxyAccount;
import dev.turnpike.lab.proxy.ProxyFault;
import dev.turnpike.lab.turnstile.ProofOfWork;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LAB.md's pass rule for CloudFlare5STask, end to end: a plain HTTP client that solved the challenge through proxy
 * account A gets the site with its cookie and user agent through A, and is challenged again through account B —
 * the lab's forward proxy (on by default) gives each account its exit IP, which the clearance is bound to.
 */
class ProxiedClearanceTest {

    static final String HOST = "proxied.lab.test";
    static final String UA = OriginHarness.UA_A;
    static Lab lab;

    @BeforeAll
    static void start() {
        lab = Lab.start(LabOptions.defaults().withSeed(13));
        lab.admin().registerHost(new LabHost(HOST, HostKind.PROTECTED, "non-interactive", 0, null));
        lab.admin().registerProxyAccount(new ProxyAccount("acct-a", "pass-a", "203.0.113.7", ProxyFault.NONE));
        lab.admin().registerProxyAccount(new ProxyAccount("acct-b", "pass-b", "198.51.100.23", ProxyFault.NONE));
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    /** Plain HTTP through the lab's HTTP proxy with one account's Basic credentials. */
    record Through(String user, String pass, HttpClient client) {

        static Through account(String user, String pass) {
            return new Through(user, pass, HttpClient.newBuilder()
                    .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", lab.proxyHttpPort())))
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build());
        }

        HttpResponse<String> send(String method, String pathAndQuery, String cookie, String form) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + HOST + pathAndQuery))
                    .timeout(Duration.ofSeconds(30)).header("User-Agent", UA)
                    .header("Proxy-Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8)))
                    .method(method, form == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(form));
            if (cookie != null) {
                request.header("Cookie", cookie);
            }
            if (form != null) {
                request.header("Content-Type", "application/x-www-form-urlencoded");
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void clearanceSolvedThroughOneAccountWorksThereAndNotThroughAnother() throws Exception {
        Through a = Through.account("acct-a", "pass-a");
        Through b = Through.account("acct-b", "pass-b");

        HttpResponse<String> challenge = a.send("GET", "/", null, null);
        assertThat(challenge.statusCode()).isEqualTo(403);
        ChallengePageFields page = ChallengePageFields.of(challenge.body());
        HttpResponse<String> solved = a.send("POST", page.fa(), null, "md="
                + URLEncoder.encode(page.md(), StandardCharsets.UTF_8) + "&answer="
                + ProofOfWork.solve(page.cH(), OriginHost.DEFAULT_POW_BITS));
        assertThat(solved.statusCode()).isEqualTo(302);
        String cookie = solved.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("cf_clearance="))
                .map(c -> c.split(";", 2)[0]).findFirst().orElseThrow();

        HttpResponse<String> home = a.send("GET", "/", cookie, null);
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("<title>Lab Protected Home</title>");
        HttpResponse<String> elsewhere = b.send("GET", "/", cookie, null);
        assertThat(elsewhere.statusCode()).isEqualTo(403);
        assertThat(elsewhere.headers().firstValue("cf-mitigated")).hasValue("challenge");
        assertThat(lab.admin().events()).filteredOn(e -> e.type().equals("clearance.rejected"))
                .extracting(e -> e.field("reason") + "@" + e.field("ip")).containsExactly("ip-changed@198.51.100.23");
        assertThat(lab.admin().events()).filteredOn(e -> e.type().equals("clearance.issued"))
                .extracting(LabEvent::fields).extracting(f -> f.get("ip")).containsExactly("203.0.113.7");
    }
}
