package dev.turnpike.server.api;

import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * A request's body, read within a limit, or read and thrown away when the answer does not need it (a body over the
 * limit, a wrong token, a wrong method).
 *
 * <p>A body left unread makes the server close a connection the client is still writing to: the kernel then resets
 * it, and the client loses the answer it was sent (an error code it would have matched). So the rest of a body is
 * read and discarded, up to {@link #DISCARD_LIMIT} bytes (the slow-client guard bounds the time); only a body larger
 * than that is left unread, and the answer then says the connection closes.
 */
public final class RequestBody {

    /** The most a request may make the server read only to throw away. */
    static final long DISCARD_LIMIT = 16L << 20;

    private RequestBody() {
    }

    /** The body, or null when it is longer than {@code limit} bytes (its rest then discarded as {@link #discard}). */
    public static byte[] read(Request request, Response response, int limit) throws IOException {
        if (request.getLength() > limit) {
            discard(request, response);
            return null;
        }
        InputStream in = Content.Source.asInputStream(request);
        byte[] bytes = in.readNBytes(limit + 1);
        if (bytes.length <= limit) {
            in.close();
            return bytes;
        }
        discardRest(in, DISCARD_LIMIT - bytes.length, response);
        return null;
    }

    /** Reads what is left of the body and throws it away; says the connection closes when it is too long for that. */
    public static void discard(Request request, Response response) {
        if (!hasBody(request)) {
            return;
        }
        if (request.getLength() > DISCARD_LIMIT) {
            closeAfterAnswer(response);
            return;
        }
        discardRest(Content.Source.asInputStream(request), DISCARD_LIMIT, response);
    }

    /** Whether the request has a body: a length declared above zero, or chunks. */
    static boolean hasBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    private static void discardRest(InputStream in, long budget, Response response) {
        byte[] sink = new byte[8192];
        long left = budget;
        try (in) {
            while (left >= 0) {
                int n = in.read(sink, 0, (int) Math.min(sink.length, left + 1));
                if (n < 0) {
                    return; // all read: the connection can serve the client's next request
                }
                left -= n;
            }
        } catch (IOException e) {
            // the client went away or was cut off (slow-client guard): nothing left to answer on
        }
        closeAfterAnswer(response);
    }

    /** Stops a keep-alive client from sending its next request on a connection about to close. */
    private static void closeAfterAnswer(Response response) {
        response.getHeaders().put(new HttpField(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString()));
    }
}
