package dev.turnpike.lab.http;

import dev.turnpike.lab.core.Http;
import dev.turnpike.lab.core.LabEvents;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /cdn-cgi/trace} on every lab host, as Cloudflare's edge answers it: plain {@code key=value} lines,
 * among them the client's address ({@code ip=}), its country ({@code loc=}, {@code XX} when unknown, as Cloudflare
 * writes it) and the user agent it sent ({@code uag=}). A solver learns its proxy's exit from it.
 */
public final class EdgeTrace {

    public static final String PATH = "/cdn-cgi/trace";

    private final Clock clock;
    private final Function<String, Optional<String>> countryOf;
    private final LabEvents events;

    /** @param events where each trace served is logged ({@code trace.served {host, ip, loc}}) */
    public EdgeTrace(Clock clock, Function<String, Optional<String>> countryOf, LabEvents events) {
        this.clock = clock;
        this.countryOf = countryOf;
        this.events = events;
    }

    /** Answers the request when it is a trace; false otherwise. */
    public boolean handle(Request request, Response response, Callback callback) {
        if (!request.getHttpURI().getPath().equals(PATH)
                || !(request.getMethod().equals("GET") || request.getMethod().equals("HEAD"))) {
            return false;
        }
        String ip = Request.getRemoteAddr(request);
        long now = clock.millis();
        String ua = request.getHeaders().get(HttpHeader.USER_AGENT);
        String loc = countryOf.apply(ip).orElse("XX");
        events.append("trace.served", "host", Http.host(request), "ip", ip, "loc", loc);
        String body = "fl=lab\n"
                + "h=" + Http.host(request) + "\n"
                + "ip=" + ip + "\n"
                + "ts=" + (now / 1000) + "." + String.format(Locale.ROOT, "%03d", now % 1000) + "\n"
                + "visit_scheme=" + (request.isSecure() ? "https" : "http") + "\n"
                + "uag=" + (ua == null ? "" : ua.replace('\n', ' ')) + "\n"
                + "colo=LAB\n"
                + "sliver=none\n"
                + "http=" + request.getConnectionMetaData().getHttpVersion().asString().toLowerCase(Locale.ROOT) + "\n"
                + "loc=" + loc + "\n"
                + "tls=" + (request.isSecure() ? "TLSv1.3" : "off") + "\n"
                + "sni=" + (request.isSecure() ? "plaintext" : "off") + "\n"
                + "warp=off\n"
                + "gateway=off\n"
                + "rbi=off\n"
                + "kex=X25519\n";
        response.getHeaders().put(HttpHeader.SERVER, "cloudflare");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        Http.send(response, callback, 200, "text/plain", body);
        return true;
    }
}
