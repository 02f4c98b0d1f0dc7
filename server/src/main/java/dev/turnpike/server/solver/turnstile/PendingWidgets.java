package dev.turnpike.server.solver.turnstile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.server.browser.cdp.CdpClosedException;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.pool.ContextLease;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Widgets the page rendered with {@code execution: 'execute'}: they wait, with no iframe, for the page to call
 * {@code turnstile.execute} (typically on the form's submit). Full mode runs the page's own {@code execute} on them,
 * so their token carries the page's action and cData as the site's backend expects. They are found by the response
 * field each widget adds next to its iframe ({@code cf-chl-widget-<id>_response}), through DevTools' DOM (closed
 * shadow roots and the page's iframes included), and are told apart from started widgets by having no widget iframe.
 */
final class PendingWidgets {

    private static final Pattern RESPONSE_ID = Pattern.compile("^cf-chl-widget-([a-z0-9]{5})_response$");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** Runs in the page's main world, on the response field: the page's own turnstile starts the widget. */
    private static final String EXECUTE = """
            function (sitekey) {
              var host = this.parentNode, container = host && host.parentNode;
              if (!container || container.nodeType !== 1) { return false; }
              var declared = container.getAttribute('data-sitekey');
              if (declared && declared !== sitekey) { return false; }
              var api = this.ownerDocument.defaultView.turnstile;
              if (!api || typeof api.execute !== 'function' || this.value) { return false; }
              api.execute(container);
              return true;
            }""";

    private PendingWidgets() {
    }

    /**
     * Executes every widget of the page not started yet whose container does not declare another sitekey.
     *
     * @return how many were started
     */
    static int execute(ContextLease lease, WidgetWatch watch, String sitekey) throws InterruptedException {
        int started = 0;
        List<PageDocuments.Found> fields = PageDocuments.find(lease, watch, node ->
                "INPUT".equals(node.path("nodeName").asText())
                        && RESPONSE_ID.matcher(PageDocuments.attribute(node, "id")).matches());
        for (PageDocuments.Found field : fields) {
            Matcher id = RESPONSE_ID.matcher(field.attribute("id"));
            if (!id.matches() || watch.frameOf(id.group(1)).isPresent()) {
                continue; // started already: its iframe is there
            }
            try {
                started += run(field.session(), field.backendNodeId(), sitekey) ? 1 : 0;
            } catch (CdpClosedException e) {
                throw e;
            } catch (CdpException e) {
                // that document went away meanwhile
            }
        }
        return started;
    }

    private static boolean run(CdpSession session, long field, String sitekey) throws InterruptedException {
        String objectId = session.call("DOM.resolveNode", session.params().put("backendNodeId", field)
                .put("objectGroup", "turnpike-execute"), CALL_TIMEOUT).path("object").path("objectId").asText();
        try {
            ObjectNode params = session.params().put("objectId", objectId).put("functionDeclaration", EXECUTE)
                    .put("returnByValue", true);
            params.putArray("arguments").addObject().put("value", sitekey);
            return session.call("Runtime.callFunctionOn", params, CALL_TIMEOUT).path("result").path("value")
                    .asBoolean(false);
        } finally {
            session.send("Runtime.releaseObjectGroup", session.params().put("objectGroup", "turnpike-execute"));
        }
    }
}
