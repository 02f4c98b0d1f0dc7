package dev.turnpike.server.api;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * A request answered without reading its body (a wrong token, a body over the limit) leaves bytes the server
 * will not read; Jetty then closes the connection after the answer. Saying so in the answer stops a keep-alive
 * client from sending its next request on a connection that is about to close.
 */
public final class UnreadBody {

    private UnreadBody() {
    }

    public static void closeAfterAnswer(Request request, Response response) {
        boolean hasBody = request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (hasBody) {
            response.getHeaders().put(new HttpField(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString()));
        }
    }
}
