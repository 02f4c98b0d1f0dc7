package dev.turnpike.server.solver.turnstile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.server.browser.cdp.CdpClosedException;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.pool.ContextLease;
import java.time.Duration;
import java.util.List;

/**
 * What the page itself holds for one of its widgets, read before full mode returns that widget's token: the token
 * returned must be the one the page would submit (its response field and {@code turnstile.getResponse}), and not one
 * the page's Turnstile already calls expired ({@code turnstile.isExpired}). Only the page's own signals are read,
 * never the token's contents. Also renews an expired widget as the page's own code would ({@code turnstile.reset}).
 */
final class PageToken {

    /** How a token of the page's widget stands in the page. */
    enum Standing {
        /** The page holds this token and does not call it expired. */
        CURRENT,
        /** The page's Turnstile says the widget's token expired. */
        EXPIRED,
        /** The page holds another token or none: it reset, re-ran or removed the widget since. */
        REPLACED,
        /** The widget has no response field the page could submit (or it went away): nothing to read. */
        UNREAD
    }

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** On the widget's response field, in the page's main world. */
    private static final String STANDING = """
            function (widgetId, token) {
              var api = this.ownerDocument.defaultView.turnstile;
              if (api && typeof api.isExpired === 'function' && api.isExpired(widgetId) === true) { return 'EXPIRED'; }
              var held = api && typeof api.getResponse === 'function' ? api.getResponse(widgetId) : undefined;
              if (this.value !== token || (held !== undefined && held !== token)) { return 'REPLACED'; }
              return 'CURRENT';
            }""";
    private static final String RESET = """
            function (widgetId) {
              var api = this.ownerDocument.defaultView.turnstile;
              if (!api || typeof api.reset !== 'function') { return false; }
              api.reset(widgetId);
              return true;
            }""";

    private PageToken() {
    }

    /** How {@code token}, which widget {@code shortId} just gave, stands in the page. */
    static Standing of(ContextLease lease, WidgetWatch watch, String shortId, String token)
            throws InterruptedException {
        String value = call(lease, watch, shortId, STANDING, token);
        return value == null ? Standing.UNREAD : Standing.valueOf(value);
    }

    /** Resets the widget through the page's own {@code turnstile.reset}; false when the page offers none. */
    static boolean reset(ContextLease lease, WidgetWatch watch, String shortId) throws InterruptedException {
        return "true".equals(call(lease, watch, shortId, RESET, null));
    }

    /** Calls {@code function} on the widget's response field with its full id (and {@code token}); null if none. */
    private static String call(ContextLease lease, WidgetWatch watch, String shortId, String function, String token)
            throws InterruptedException {
        List<PageDocuments.Found> fields = PageDocuments.find(lease, watch, PageDocuments.responseFieldOf(shortId));
        if (fields.isEmpty()) {
            return null;
        }
        CdpSession session = fields.getFirst().session();
        try {
            String objectId = session.call("DOM.resolveNode", session.params()
                    .put("backendNodeId", fields.getFirst().backendNodeId()).put("objectGroup", "turnpike-token"),
                    CALL_TIMEOUT).path("object").path("objectId").asText();
            try {
                ObjectNode params = session.params().put("objectId", objectId).put("functionDeclaration", function)
                        .put("returnByValue", true);
                var arguments = params.putArray("arguments");
                arguments.addObject().put("value", "cf-chl-widget-" + shortId);
                if (token != null) {
                    arguments.addObject().put("value", token);
                }
                var result = session.call("Runtime.callFunctionOn", params, CALL_TIMEOUT);
                return result.has("exceptionDetails") ? null : result.path("result").path("value").asText(null);
            } finally {
                session.send("Runtime.releaseObjectGroup", session.params().put("objectGroup", "turnpike-token"));
            }
        } catch (CdpClosedException e) {
            throw e;
        } catch (CdpException e) {
            return null; // the document went away meanwhile
        }
    }
}
