package dev.turnpike.server.role;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.lab.Lab;
import dev.turnpike.server.browser.chromium.ChromiumFlags;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.Settings;
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
 * @param allowHosts        names allowed as targets without resolving (each mapped host, and 127.0.0.1 for the
 *                          lab's forward proxy)
 */
public record LabLink(String hostResolverRules, String certificatePins, List<String> allowHosts) {

    private static final Pattern MAPPED_HOST = Pattern.compile("MAP (\\S+) ");

    public static LabLink of(Lab lab) {
        return fromChromiumArgs(lab.chromiumArgs());
    }

    /** Reads a running lab's {@code GET /info}; {@code admin} is the address {@code turnpike lab} prints. */
    public static LabLink attach(URI admin) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(admin.resolve("/info"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("the lab at " + admin + " answered " + response.statusCode() + " to GET /info");
            }
            JsonNode args = new ObjectMapper().readTree(response.body()).path("chromiumArgs");
            List<String> list = new ArrayList<>();
            args.forEach(arg -> list.add(arg.asText()));
            return fromChromiumArgs(list);
        }
    }

    static LabLink fromChromiumArgs(List<String> args) {
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
        hosts.add("127.0.0.1");
        return new LabLink(rules + ", EXCLUDE 127.0.0.1", pins, List.copyOf(hosts));
    }

    /**
     * The settings (file keys → texts) that point this process at the lab, added to the allowed hosts and extra
     * Chromium switches already in force. The lab lives on loopback, so Chromium's Local Network Access checks,
     * which would refuse its scripts to a page served by interception, are turned off.
     */
    public Map<String, String> settings(Config inForce) {
        Set<String> allow = new LinkedHashSet<>(inForce.get(Settings.ALLOW_HOSTS));
        allow.addAll(allowHosts);
        Set<String> args = new LinkedHashSet<>(inForce.get(Settings.CHROMIUM_EXTRA_ARGS));
        args.add(ChromiumFlags.LAB_ON_LOOPBACK);
        return Map.of("browser.hostResolverRules", hostResolverRules,
                "browser.certificatePins", certificatePins,
                "browser.extraArgs", String.join(" ", args),
                "net.allowHosts", String.join(",", allow));
    }
}
