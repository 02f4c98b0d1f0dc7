package dev.turnpike.lab.origin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves {@link ProtectedOrigin} from Jetty. The client IP is the connection's remote address: on the lab's
 * PROXY-protocol connectors that is the proxy account's exit IP, elsewhere the peer (127.0.0.1).
 * Declines (returns false) requests for hosts the origin does not know, so a router can try other handlers.
 */
public final class OriginJettyHandler extends Handler.Abstract {

    /** Largest request body the origin reads; larger ones get 413. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private final ProtectedOrigin origin;

    public OriginJettyHandler(ProtectedOrigin origin) {
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Optional<OriginRequest> read = read(request);
        if (read.isEmpty()) {
            Response.writeError(request, response, callback, 413, "request body larger than " + MAX_BODY_BYTES);
            return true;
        }
        Optional<OriginResponse> answer = origin.handle(read.get());
        if (answer.isEmpty()) {
            return false;
        }
        write(answer.get(), response, callback);
        return true;
    }

    /** The origin's view of a Jetty request; empty when its body is over {@link #MAX_BODY_BYTES}. */
    public static Optional<OriginRequest> read(Request request) throws IOException {
        List<OriginRequest.Header> headers = new ArrayList<>();
        for (HttpField field : request.getHeaders()) {
            headers.add(new OriginRequest.Header(field.getName(), field.getValue()));
        }
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            return Optional.empty();
        }
        var uri = request.getHttpURI();
        return Optional.of(new OriginRequest(Request.getServerName(request), request.getMethod(),
                uri.getPath() == null ? "/" : uri.getPath(), uri.getQuery(), headers, body,
                Request.getRemoteAddr(request)));
    }

    /** Writes an origin answer; the first header of a name replaces Jetty's own (e.g. Server), repeats add. */
    public static void write(OriginResponse answer, Response response, Callback callback) {
        response.setStatus(answer.status());
        Set<String> seen = new HashSet<>();
        for (OriginRequest.Header h : answer.headers()) {
            if (seen.add(h.name().toLowerCase(java.util.Locale.ROOT))) {
                response.getHeaders().put(h.name(), h.value());
            } else {
                response.getHeaders().add(h.name(), h.value());
            }
        }
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }
}
