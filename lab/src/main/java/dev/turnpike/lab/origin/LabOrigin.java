package dev.turnpike.lab.origin;

import dev.turnpike.lab.core.HostHostile;
import dev.turnpike.lab.core.LabHost;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyHostile;
import dev.turnpike.lab.core.SitekeyMode;
import dev.turnpike.lab.turnstile.Siteverify;
import dev.turnpike.lab.turnstile.TestKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The protected origin in the lab: {@link ProtectedOrigin} behind the lab's {@link OriginHandler} seam, on the
 * lab's clock, random source, key, host registry, event log and in-process siteverify. Its challenge pages render
 * the lab's own challenge sitekeys, which it registers (for every host, {@code "*"}) whenever they are missing,
 * so they come back after a lab reset.
 */
public final class LabOrigin implements OriginHandler {

    /** The sitekey of managed challenge pages (a managed lab sitekey). */
    public static final String MANAGED_SITEKEY = "0x4AAAAAAALabChallengeManaged";
    static final String MANAGED_SECRET = "0x4AAAAAAALabChallengeManagedSecret";
    /** The sitekey of interactive challenge pages (interactive only: a trusted click every time). */
    public static final String INTERACTIVE_SITEKEY = "0x4AAAAAAALabChallengeInteractive";
    static final String INTERACTIVE_SECRET = "0x4AAAAAAALabChallengeInteractiveSecret";
    static final ChallengeSitekeys SITEKEYS = new ChallengeSitekeys(MANAGED_SITEKEY, MANAGED_SECRET,
            INTERACTIVE_SITEKEY, INTERACTIVE_SECRET);

    private final LabContext context;
    private final ProtectedOrigin origin;

    public LabOrigin(LabContext context) {
        this.context = context;
        RandomGenerator random = context.random()::nextLong;
        this.origin = new ProtectedOrigin(name -> context.hosts().find(name).map(this::originHost), context.sealer(),
                context.clock(), random, this::siteverify, SITEKEYS, this::record, new StrictScreen(context.strict()));
    }

    @Override
    public boolean handle(LabHost host, Request request, Response response, Callback callback) throws Exception {
        Optional<OriginRequest> read = OriginJettyHandler.read(request);
        if (read.isEmpty()) {
            Response.writeError(request, response, callback, 413,
                    "request body larger than " + OriginJettyHandler.MAX_BODY_BYTES);
            return true;
        }
        ensureChallengeSitekeys(host.name());
        OriginJettyHandler.write(origin.handle(originHost(host), read.get()), response, callback);
        return true;
    }

    /** The origin's settings for a registered host. */
    OriginHost originHost(LabHost host) {
        HostHostile hostile = host.hostile();
        Duration pageRefresh = null;
        if (hostile.cMTimeMs() > 0) {
            // The origin's bounds: a page must live long enough to load, and no longer than Cloudflare's.
            pageRefresh = Duration.ofMillis(Math.clamp(hostile.cMTimeMs(), 500,
                    OriginHost.DEFAULT_PAGE_LIFE.toMillis()));
        }
        Optional<Sitekey> form = context.sitekeys().all().stream()
                .filter(k -> k.allowsHost(host.name()) && !SITEKEYS.owns(k.sitekey()))
                .min(Comparator.comparing(Sitekey::sitekey));
        // The page's own proof of work (non-interactive, legacy) is as hard as the challenge widget's: one knob,
        // the managed challenge sitekey's powBits, makes a slow origin.
        int powBits = context.sitekeys().find(MANAGED_SITEKEY).map(Sitekey::powBits)
                .map(bits -> Math.clamp(bits, 1, Sitekey.MAX_POW_BITS)).orElse(OriginHost.DEFAULT_POW_BITS);
        return new OriginHost(host.name(), host.kind(), ChallengeType.fromWire(host.cType()), host.passageSec(),
                powBits, hostile.redirect307() ? PostRedirect.TEMPORARY : PostRedirect.SEE_OTHER,
                form.map(Sitekey::sitekey).orElse(TestKeys.PASS_VISIBLE),
                form.map(Sitekey::secret).orElse(TestKeys.SECRET_PASSES),
                hostile.challengeLoop(), hostile.bindingStrict(), hostile.blocked(), hostile.legacyIuam(), pageRefresh);
    }

    private synchronized void ensureChallengeSitekeys(String host) {
        ensure(MANAGED_SITEKEY, MANAGED_SECRET, host, false);
        ensure(INTERACTIVE_SITEKEY, INTERACTIVE_SECRET, host, true);
    }

    private void ensure(String sitekey, String secret, String host, boolean interactive) {
        Optional<Sitekey> known = context.sitekeys().find(sitekey);
        if (known.isPresent() && known.get().allowsHost(host)) {
            return;
        }
        // A fresh key allows every host; one the admin API replaced keeps its settings (hostile modes, proof of
        // work, delay) and gains this host.
        List<String> hostnames = new ArrayList<>(known.map(Sitekey::hostnames).orElse(List.of("*")));
        if (known.isPresent()) {
            hostnames.add(host);
        }
        Sitekey key = known.map(k -> new Sitekey(k.sitekey(), k.secret(), hostnames, k.mode(), k.powBits(),
                        k.delayMs(), k.hostile()))
                .orElseGet(() -> new Sitekey(sitekey, secret, hostnames, SitekeyMode.MANAGED, Sitekey.DEFAULT_POW_BITS,
                        0, interactive ? SitekeyHostile.NONE.withInteractiveOnly(0) : SitekeyHostile.NONE));
        context.sitekeys().put(key);
    }

    private TurnstileVerifier.Verdict siteverify(String secret, String token, String remoteIp) {
        Siteverify.Result result = context.siteverify().verify(new Siteverify.Request(secret, token, remoteIp, null));
        Map<String, Object> metadata = result.metadata() == null ? Map.of() : result.metadata();
        Object pageData = metadata.get("chl_page_data_sha256");
        return new TurnstileVerifier.Verdict(result.success(), result.hostname(), result.action(), result.cdata(),
                Boolean.TRUE.equals(metadata.get("interactive")), pageData == null ? null : pageData.toString(),
                result.errorCodes());
    }

    /** Writes an origin event into the lab's event log ({@code challengePage.*}, {@code clearance.*}). */
    private void record(OriginEvent event) {
        switch (event) {
            case OriginEvent.ChallengeServed e -> context.events().append("challengePage.served", "host", e.host(),
                    "ray", e.ray(), "path", e.path(), "ip", e.clientIp(), "cType", e.cType().wireName(),
                    "legacy", e.legacy());
            case OriginEvent.SolveRejected e -> context.events().append("challengePage.rejected", "host", e.host(),
                    "ray", e.ray(), "ip", e.clientIp(), "reason", wire(e.reason()));
            case OriginEvent.ClearanceIssued e -> context.events().append("clearance.issued", "host", e.host(),
                    "ray", e.ray(), "ip", e.clientIp(), "exp", e.exp(), "challengeLoop", wire(e.loop()));
            case OriginEvent.ClearanceAccepted e -> context.events().append("clearance.accepted", "host", e.host(),
                    "path", e.path(), "ip", e.clientIp());
            case OriginEvent.ClearanceRejected e -> context.events().append("clearance.rejected", "host", e.host(),
                    "path", e.path(), "ip", e.clientIp(), "reason", wire(e.reason()));
        }
    }

    /** Enum values in the log as Cloudflare-style codes: {@code IP_CHANGED} → {@code ip-changed}. */
    static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
