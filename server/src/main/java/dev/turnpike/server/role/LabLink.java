package dev.turnpike.server.role;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.lab.Lab;
import dev.turnpike.server.browser.chromium.ChromiumFlags;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.Settings;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.Endpoint;
import dev.turnpike.server.net.HostResolver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the browsers and the address policy need to solve against a lab instead of the internet: the host rules
 * that send the real names to it, the certificate pin, and the names (and the lab proxy's loopback address) that
 * become allowed targets. Derived from a lab in this process or from a running lab's admin {@code /info}.
 *
 * @param hostResolverRules Chromium host rules, ending with {@code EXCLUDE 127.0.0.1} so the per-task proxy relay
 *                          on loopback stays reachable
 * @param certificatePins   SPKI pins of the lab's certificate
 * @param allowHosts        names allowed as targets without resolving (each mapped host)
 * @param allowEndpoints    the lab's own ports on 127.0.0.1 (HTTPS, plain HTTP, the forward proxy's HTTP and
 *                          SOCKS5), allowed on those ports only: not Turnpike's API, its database, the browsers'
 *                          DevTools nor the lab's admin API, which listen on the same address
 */
public record LabLink(String hostResolverRules, String certificatePins, List<String> allowHosts,
                      List<String> allowEndpoints) {

    private static final Pattern MAPPED_HOST = Pattern.compile("MAP (\\S+) ");
    /** The ports of {@code GET /info} a task may reach; not {@code adminPort}. */
    private static final List<String> REACHABLE_PORTS = List.of("httpsPort", "httpPort", "proxyHttpPort",
            "proxySocksPort");

    public static LabLink of(Lab lab) {
        return fromChromiumArgs(lab.chromiumArgs(),
                List.of(lab.httpsPort(), lab.httpPort(), lab.proxyHttpPort(), lab.proxySocksPort()));
    }

    /** Reads a running lab's {@code GET /info}; {@code admin} is the address {@code turnpike lab} prints. */
    public static LabLink attach(URI admin) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(admin.resolve("/info"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("the lab at " + admin + " answered " + response.statusCode() + " to GET /info");
            }
            JsonNode info = new ObjectMapper().readTree(response.body());
            List<String> list = new ArrayList<>();
            info.path("chromiumArgs").forEach(arg -> list.add(arg.asText()));
            return fromChromiumArgs(list, REACHABLE_PORTS.stream().map(port -> info.path(port).asInt(-1)).toList());
        }
    }

    /** @param ports the lab's reachable ports; negative for one it does not run (no forward proxy) */
    static LabLink fromChromiumArgs(List<String> args, List<Integer> ports) {
        String rules = "";
        String pins = "";
        for (String arg : args) {
            if (arg.startsWith("--host-resolver-rules=")) {
                rules = arg.substring("--host-resolver-rules=".length());
            } else if (arg.startsWith("--ignore-certificate-errors-spki-list=")) {
                pins = arg.substring("--ignore-certificate-errors-spki-list=".length());
            }
        }
        if (rules.isEmpty() || pins.isEmpty()) {
            throw new IllegalArgumentException("the lab gave no host rules or certificate pin: " + args);
        }
        Set<String> hosts = new LinkedHashSet<>();
        Matcher m = MAPPED_HOST.matcher(rules);
        while (m.find()) {
            if (!m.group(1).equals("*")) {
                hosts.add(m.group(1));
            }
        }
        List<String> endpoints = ports.stream().filter(port -> port > 0).map(port -> "127.0.0.1:" + port).toList();
        return new LabLink(rules + ", EXCLUDE 127.0.0.1", pins, List.copyOf(hosts), endpoints);
    }

    /** The address policy of a process pointed at the lab (names allowed, the lab's ports on loopback). */
    public AddressPolicy policy(HostResolver resolver) {
        return new AddressPolicy(resolver, allowHosts, List.of(),
                allowEndpoints.stream().map(Endpoint::parse).toList());
    }

    /**
     * The settings (file keys → texts) that point this process at the lab, added to the allowed hosts, endpoints and
     * extra Chromium switches already in force. The lab lives on loopback, so Chromium's Local Network Access checks,
     * which would refuse its scripts to a page served by interception, are turned off.
     */
    public Map<String, String> settings(Config inForce) {
        Set<String> allow = new LinkedHashSet<>(inForce.get(Settings.ALLOW_HOSTS));
        allow.addAll(allowHosts);
        Set<String> endpoints = new LinkedHashSet<>(inForce.get(Settings.ALLOW_ENDPOINTS));
        endpoints.addAll(allowEndpoints);
        Set<String> args = new LinkedHashSet<>(inForce.get(Settings.CHROMIUM_EXTRA_ARGS));
        args.add(ChromiumFlags.LAB_ON_LOOPBACK);
        return Map.of("browser.hostResolverRules", hostResolverRules,
                "browser.certificatePins", certificatePins,
                "browser.extraArgs", String.join(" ", args),
                "net.allowHosts", String.join(",", allow),
                "net.allowEndpoints", String.join(",", endpoints));
    }
}
