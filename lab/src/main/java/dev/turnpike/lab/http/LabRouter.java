package dev.turnpike.lab.http;

import dev.turnpike.lab.core.Http;
import dev.turnpike.lab.origin.OriginHandler;
import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.core.Hosts;
import dev.turnpike.lab.core.LabHost;
import dev.turnpike.lab.core.Pages;
import dev.turnpike.lab.turnstile.TurnstileHandler;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Routes every request of the lab's public connectors by host: the Turnstile hosts to Turnstile, plain hosts to
 * their registered pages, the other kinds to the protected origin, unknown hosts to a 404. A TLS request whose
 * {@code Host} is not the name it asked for in SNI gets 421, as at Cloudflare (no fronting one host with another).
 */
public final class LabRouter extends Handler.Abstract {

    private final Hosts hosts;
    private final Pages pages;
    private final TurnstileHandler turnstile;
    private final OriginHandler origin;
    private final EdgeTrace trace;

    public LabRouter(Hosts hosts, Pages pages, TurnstileHandler turnstile, OriginHandler origin, EdgeTrace trace) {
        this.trace = trace;
        this.hosts = hosts;
        this.pages = pages;
        this.turnstile = turnstile;
        this.origin = origin;
    }

    public static boolean isChallengesHost(String host) {
        return host.equals("challenges.cloudflare.com") || host.equals("challenges.fed.cloudflare.com");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String host = Http.host(request);
        Optional<String> sni = sniHost(request);
        if (sni.isPresent() && !sni.get().equals(host)) {
            Http.send(response, callback, 421, "text/html; charset=UTF-8",
                    "<!doctype html><title>421 Misdirected Request</title><h1>421 Misdirected Request</h1>");
            return true;
        }
        boolean handled;
        if ((isChallengesHost(host) || hosts.find(host).isPresent()) && trace.handle(request, response, callback)) {
            return true;
        }
        if (isChallengesHost(host)) {
            handled = turnstile.handle(request, response, callback);
        } else {
            Optional<LabHost> labHost = hosts.find(host);
            if (labHost.isEmpty()) {
                Http.send(response, callback, 404, "text/html; charset=UTF-8",
                        "<!doctype html><title>Unknown lab host</title><p>The lab has no host " + escape(host) + ".</p>");
                return true;
            }
            handled = labHost.get().kind() == HostKind.PLAIN
                    ? servePage(host, request, response, callback)
                    : origin.handle(labHost.get(), request, response, callback);
        }
        if (!handled) {
            Http.send(response, callback, 404, "text/html; charset=UTF-8",
                    "<!doctype html><title>404 Not Found</title><h1>404 Not Found</h1>");
        }
        return true;
    }

    /** The host name the client asked for in TLS SNI, if it sent one. */
    static Optional<String> sniHost(Request request) {
        if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData data
                && data.sslSession() instanceof ExtendedSSLSession session) {
            for (SNIServerName name : session.getRequestedServerNames()) {
                if (name instanceof SNIHostName hostName) {
                    return Optional.of(hostName.getAsciiName().toLowerCase(Locale.ROOT));
                }
            }
        }
        return Optional.empty();
    }

    private boolean servePage(String host, Request request, Response response, Callback callback) {
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            return false;
        }
        Optional<Pages.Page> page = pages.find(host, request.getHttpURI().getPath());
        page.ifPresent(p -> Http.send(response, callback, p.status(), "text/html; charset=UTF-8", p.html()));
        return page.isPresent();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
