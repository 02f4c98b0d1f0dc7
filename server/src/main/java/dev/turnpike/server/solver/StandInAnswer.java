package dev.turnpike.server.solver;

import dev.turnpike.server.browser.proxy.ProxyRelay;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.task.FailReason;
import java.net.URI;
import java.util.Optional;

/**
 * Tells the site's own answer from one given in its place on the task's way out: the relay's 403 for a host the
 * address policy refuses (never dialled), its 502 for a host none of whose addresses answered, or the task proxy's
 * own error answer ({@code 502 Bad Gateway}, a SOCKS failure) for a tunnel it would not open, which the relay passes
 * on as its 502. Over plain http the browser shows such an answer as the page, and over https its own error page;
 * neither may be answered as the site's.
 */
public final class StandInAnswer {

    /** The status of a document whose status is not known (the browser showed its error page): any stand-in fits. */
    public static final int ANY_STATUS = 0;

    private StandInAnswer() {
    }

    /**
     * The task's failure if what the browser shows for {@code host} (a document of HTTP {@code status}, or
     * {@link #ANY_STATUS}) was answered by the relay or the proxy rather than the site.
     *
     * @param proxy the task's proxy, or null when the relay goes directly
     * @param what  how the failure's description names the page ("could not load " + what)
     */
    public static Optional<SolveException> of(ProxyRelay relay, ProxySpec proxy, String host, int status,
                                              String what, Throwable cause) {
        if (proxy != null) {
            return relay.proxyErrorFor(host).filter(answer -> fits(status, 502)).map(answer -> new SolveException(
                    FailReason.PROXY_BAD_GATEWAY, "the proxy " + proxy.address() + " answered '" + answer
                    + "' itself instead of reaching " + what + ": the site never answered", cause));
        }
        Optional<SolveException> refused = relay.refusalOf(host).filter(r -> fits(status, 403)).map(refusal -> {
            AddressPolicy.Decision decision = refusal.decision();
            return new SolveException(FailReason.NAVIGATION_FAILED,
                    decision.verdict() == AddressPolicy.Verdict.REFUSED_UNRESOLVABLE
                            ? "could not load " + what + " (its name does not resolve)"
                            : "could not load " + what + ": address not allowed (" + decision.explanation() + ")", cause);
        });
        return refused.or(() -> relay.unreachableOf(host).filter(u -> fits(status, 502)).map(unreachable ->
                new SolveException(FailReason.NAVIGATION_FAILED, "could not load " + what + " ("
                        + unreachable.cause() + ")", cause)));
    }

    /** The host of a URL the browser reported (a document's, {@code location.href}), or "" when it has none. */
    public static String hostOf(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? "" : host;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static boolean fits(int status, int relayStatus) {
        return status == ANY_STATUS || status == relayStatus;
    }
}
