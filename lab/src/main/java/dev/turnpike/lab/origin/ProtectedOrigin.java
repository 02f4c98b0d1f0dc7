package dev.turnpike.lab.origin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.core.Sealer;
import dev.turnpike.lab.strict.StrictMode;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The lab's origin for hosts of kind protected, turnstile-form and blocked (LAB.md L3, L4): the challenge gate,
 * the challenge pages and their orchestrate script, the solve endpoint, the blocked page and the application
 * behind them (served ungated for turnstile-form, and for plain hosts should one be routed here — the lab
 * serves plain hosts their registered pages itself). Independent of the HTTP server: {@link LabOrigin} plugs it
 * into the lab, {@link OriginJettyHandler} adapts it to any Jetty server.
 */
public final class ProtectedOrigin {

    static final String CHALLENGE_PLATFORM = "/cdn-cgi/challenge-platform/";
    static final String ORCHESTRATE = "/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1";
    static final String LEGACY_ORCHESTRATE = "/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1";
    static final String TRACE_IMAGES = "/cdn-cgi/images/trace/";
    /** Turnstile's onload hook the orchestrate script defines. */
    static final String TURNSTILE_ONLOAD = "__cfLabChlTurnstileReady";

    private static final byte[] TRANSPARENT_GIF = Base64.getDecoder()
            .decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OriginHosts hosts;
    private final Clock clock;
    private final RandomGenerator random;
    private final ChallengeSitekeys sitekeys;
    private final OriginEvents events;
    private final ClearanceGate gate;
    private final ChallengeIssuer issuer;
    private final SolveEndpoint solver;
    private final LabApplication application;
    private final SolveScreen screen;

    /**
     * @param hosts    the host registry
     * @param sealer   seals {@code md} and {@code cf_clearance} under the lab key
     * @param clock    the lab clock
     * @param random   source of rays and cookie prefixes (seeded in tests)
     * @param verifier the lab's siteverify, in process
     * @param sitekeys the Turnstile sitekeys challenge pages render
     * @param events   the lab's event log
     */
    public ProtectedOrigin(OriginHosts hosts, Sealer sealer, Clock clock, RandomGenerator random,
                           TurnstileVerifier verifier, ChallengeSitekeys sitekeys, OriginEvents events) {
        this(hosts, sealer, clock, random, verifier, sitekeys, events, SolveScreen.NONE);
    }

    /** As above, with strict hosts judged by {@code screen} (LAB.md L5). */
    public ProtectedOrigin(OriginHosts hosts, Sealer sealer, Clock clock, RandomGenerator random,
                           TurnstileVerifier verifier, ChallengeSitekeys sitekeys, OriginEvents events,
                           SolveScreen screen) {
        this.screen = Objects.requireNonNull(screen, "screen");
        this.hosts = Objects.requireNonNull(hosts, "hosts");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.sitekeys = Objects.requireNonNull(sitekeys, "sitekeys");
        this.events = Objects.requireNonNull(events, "events");
        Objects.requireNonNull(sealer, "sealer");
        Objects.requireNonNull(verifier, "verifier");
        this.gate = new ClearanceGate(sealer, clock);
        this.issuer = new ChallengeIssuer(sealer, clock, random, events);
        this.solver = new SolveEndpoint(sealer, clock, random, verifier, sitekeys, issuer, events, screen);
        this.application = new LabApplication(verifier);
    }

    /** The answer for a request to one of the origin's hosts; empty when the host is not registered. */
    public Optional<OriginResponse> handle(OriginRequest request) {
        return hosts.find(request.host()).map(host -> handle(host, request));
    }

    /** The answer for a request to {@code host}. */
    public OriginResponse handle(OriginHost host, OriginRequest request) {
        String path = request.path();
        if (path.startsWith(CHALLENGE_PLATFORM)) {
            return challengePlatform(host, request);
        }
        if (path.startsWith(TRACE_IMAGES)) {
            return OriginResponse.status(200).header("Server", CloudflareHeaders.SERVER)
                    .header("Cache-Control", "no-store").header("Content-Type", "image/gif")
                    .bodyBytes(TRANSPARENT_GIF);
        }
        String ray = CloudflareHeaders.newRay(random);
        if (host.kind() == HostKind.BLOCKED || host.blocked()) {
            return BlockedPage.render(host, request, ray);
        }
        if (host.kind() != HostKind.PROTECTED) {
            return application.handle(host, request, ray);
        }
        if (SolveEndpoint.isSolve(request)) {
            return solver.solve(host, request);
        }
        GateDecision decision = gate.check(host, request.cookies().get("cf_clearance"), request.userAgent(),
                request.clientIp());
        if (decision instanceof GateDecision.Refuse refuse) {
            if (refuse.reason() != ClearanceRejection.MISSING) {
                events.record(new OriginEvent.ClearanceRejected(clock.instant(), host.host(), path,
                        request.clientIp(), refuse.reason()));
            }
            return issuer.challenge(host, request, request.method(), Hashes.sha256Hex(request.body()));
        }
        events.record(new OriginEvent.ClearanceAccepted(clock.instant(), host.host(), path, request.clientIp()));
        return application.handle(host, request, ray);
    }

    private OriginResponse challengePlatform(OriginHost host, OriginRequest request) {
        String path = request.path();
        boolean read = request.method().equals("GET") || request.method().equals("HEAD");
        if (read && (path.equals(ORCHESTRATE) || path.equals(LEGACY_ORCHESTRATE))) {
            ObjectNode config = JSON.createObjectNode()
                    .put("powBits", host.powBits())
                    .put("managedSitekey", sitekeys.sitekeyFor(ChallengeType.MANAGED))
                    .put("interactiveSitekey", sitekeys.sitekeyFor(ChallengeType.INTERACTIVE))
                    .put("apiJs", LabApplication.API_JS + "?render=explicit&onload=" + TURNSTILE_ONLOAD)
                    .put("strict", screen.screens(host.host()))
                    .put("strictJs", StrictMode.SCRIPT_PATH);
            String script = Templates.render("orchestrate.js", Map.of("config", config.toString()));
            return OriginResponse.status(200)
                    .header("Server", CloudflareHeaders.SERVER)
                    .header("Cache-Control", "private, no-store")
                    .body("application/javascript; charset=UTF-8", script);
        }
        if (read && path.equals(StrictMode.SCRIPT_PATH)) {
            return OriginResponse.status(200).header("Server", CloudflareHeaders.SERVER)
                    .header("Cache-Control", "private, no-store")
                    .body("application/javascript; charset=UTF-8", StrictMode.script());
        }
        return OriginResponse.status(404).header("Server", CloudflareHeaders.SERVER)
                .body("text/plain; charset=UTF-8", "not found");
    }
}
