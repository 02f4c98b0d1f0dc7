package dev.turnpike.lab.strict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.lab.core.LabEvents;
import dev.turnpike.lab.core.Resources;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The lab's strict mode (LAB.md L5): which sitekeys and hosts are judged, the judge, and the event log. Every check
 * that fires is logged as a {@code strict.fired} event with its name; the page learns only that it failed.
 */
public final class StrictMode {

    /** Where the widget page and the challenge page load the collector from (on their own origin). */
    public static final String SCRIPT_PATH = "/cdn-cgi/challenge-platform/h/b/lab/strict-checks.js";

    private static final String SCRIPT = resource("strict-checks.js");

    private final StrictTargets targets = new StrictTargets();
    private final StrictJudge judge;
    private final LabEvents events;
    private final Function<String, Optional<String>> countryOfIp;

    /**
     * @param countries   time zones and languages by country
     * @param events      the lab's event log
     * @param countryOfIp the country of a client (exit) address, empty for this machine's own
     */
    public StrictMode(CountryConventions countries, LabEvents events, Function<String, Optional<String>> countryOfIp) {
        this.judge = new StrictJudge(countries);
        this.events = Objects.requireNonNull(events, "events");
        this.countryOfIp = Objects.requireNonNull(countryOfIp, "countryOfIp");
    }

    public StrictTargets targets() {
        return targets;
    }

    /** The collector's source. */
    public static String script() {
        return SCRIPT;
    }

    /** The country the lab places a client address in (empty: this machine, or an exit with no country). */
    public Optional<String> countryOf(String ip) {
        return countryOfIp.apply(ip);
    }

    /**
     * Judges one solve's signals; logs each check that fired. True when none fired.
     *
     * @param where         {@code widget} or {@code challenge}
     * @param subject       the sitekey or host judged (for the log)
     * @param clientIp      the request's (exit) address
     * @param headers       a request header by name, or null
     * @param clickRequired whether the click checks apply
     */
    public boolean passes(String where, String subject, JsonNode signals, String clientIp,
                          Function<String, String> headers, boolean clickRequired) {
        RequestFacts facts = new RequestFacts(headers.apply("User-Agent"), headers.apply("Sec-CH-UA"),
                headers.apply("Sec-CH-UA-Platform"), headers.apply("Sec-CH-UA-Mobile"),
                headers.apply("Accept-Language"), countryOf(clientIp));
        List<StrictFinding> findings = judge.judge(signals, facts, clickRequired);
        for (StrictFinding finding : findings) {
            events.append("strict.fired", "check", finding.check().wire(), "where", where, "subject", subject,
                    "ip", clientIp, "detail", finding.detail());
        }
        if (findings.isEmpty()) {
            events.append("strict.passed", "where", where, "subject", subject, "ip", clientIp);
        }
        return findings.isEmpty();
    }

    private static String resource(String name) {
        return Resources.text(StrictMode.class, name);
    }
}
