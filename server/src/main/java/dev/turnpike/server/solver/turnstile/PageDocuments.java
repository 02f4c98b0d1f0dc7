package dev.turnpike.server.solver.turnstile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.browser.cdp.CdpClosedException;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.pool.ContextLease;
import dev.turnpike.server.browser.pool.PageFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The page's documents as DevTools sees them, for full mode's reading of the page's own Turnstile: the top page and
 * every out-of-process iframe that is not a widget, each with the iframes in its process (a widget's own document
 * left out), closed shadow roots included. Nothing runs in the page to read them.
 */
final class PageDocuments {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** Cloudflare's api.js, as a site's script element names it. */
    private static final Pattern API_JS =
            Pattern.compile("^https://challenges(\\.fed)?\\.cloudflare\\.com/turnstile/v0(/.*)?/api\\.js([?#].*)?$");

    /** One element found: the session of its document and its DOM node. */
    record Found(CdpSession session, JsonNode node) {

        long backendNodeId() {
            return node.path("backendNodeId").asLong();
        }

        String attribute(String name) {
            return PageDocuments.attribute(node, name);
        }
    }

    private PageDocuments() {
    }

    /** The sessions holding the page's documents: the top page, then the iframes of other sites that are not widgets. */
    static List<CdpSession> sessions(ContextLease lease, WidgetWatch watch) {
        List<CdpSession> documents = new ArrayList<>();
        documents.add(lease.page());
        for (PageFrame frame : lease.frames()) {
            if (frame.outOfProcess() && !watch.isWidgetFrame(frame)) {
                documents.add(frame.session());
            }
        }
        return documents;
    }

    /** Every element of the page's documents that {@code wanted} accepts (a document going away meanwhile is skipped). */
    static List<Found> find(ContextLease lease, WidgetWatch watch, Predicate<JsonNode> wanted)
            throws InterruptedException {
        List<Found> found = new ArrayList<>();
        for (CdpSession session : sessions(lease, watch)) {
            try {
                JsonNode root = session.call("DOM.getDocument", session.params().put("depth", -1).put("pierce", true),
                        CALL_TIMEOUT).path("root");
                collect(root, wanted, session, found);
            } catch (CdpClosedException e) {
                throw e;
            } catch (CdpException e) {
                // that document went away meanwhile
            }
        }
        return found;
    }

    /** Whether the page has loaded, or is loading, Cloudflare's api.js: a sign it may still render a widget. */
    static boolean loadTurnstile(ContextLease lease, WidgetWatch watch) throws InterruptedException {
        return !find(lease, watch, node -> "SCRIPT".equals(node.path("nodeName").asText())
                && API_JS.matcher(attribute(node, "src")).matches()).isEmpty();
    }

    /** The response field a widget adds next to its iframe ({@code cf-chl-widget-<id>_response}). */
    static Predicate<JsonNode> responseFieldOf(String shortId) {
        String id = "cf-chl-widget-" + shortId + "_response";
        return node -> "INPUT".equals(node.path("nodeName").asText()) && id.equals(attribute(node, "id"));
    }

    private static void collect(JsonNode node, Predicate<JsonNode> wanted, CdpSession session, List<Found> into) {
        if (wanted.test(node)) {
            into.add(new Found(session, node));
        }
        for (String nested : List.of("shadowRoots", "children")) {
            for (JsonNode child : node.path(nested)) {
                collect(child, wanted, session, into);
            }
        }
        JsonNode content = node.path("contentDocument");
        String documentUrl = content.path("documentURL").asText("");
        if (!content.isMissingNode() && !WidgetFrameUrl.isChallengeOrigin(origin(documentUrl))) {
            collect(content, wanted, session, into); // a widget's own document (in process) is none of the page's
        }
    }

    private static String origin(String url) {
        int path = url.indexOf('/', url.indexOf("://") + 3);
        return path < 0 ? url : url.substring(0, path);
    }

    static String attribute(JsonNode node, String name) {
        JsonNode attributes = node.path("attributes");
        for (int i = 0; i + 1 < attributes.size(); i += 2) {
            if (attributes.get(i).asText().equals(name)) {
                return attributes.get(i + 1).asText();
            }
        }
        return "";
    }
}
