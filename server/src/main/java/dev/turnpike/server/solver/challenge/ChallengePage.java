package dev.turnpike.server.solver.challenge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.server.browser.cdp.CdpClosedException;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.pool.ContextLease;
import dev.turnpike.server.browser.pool.NavigationFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One task's page, watched the way the challenge needs: every document answer of the main frame (status,
 * headers, the request headers the browser really sent), every submission of the challenge form, and on demand
 * a snapshot of the rendered page. Uses the {@code Network} domain of the page only (never {@code Runtime} or
 * {@code Console}); scripts run in an isolated world.
 */
final class ChallengePage implements AutoCloseable {

    /** A document answer of the main frame. */
    record DocumentResponse(String requestId, String url, int status, Map<String, String> headers) {
    }

    /** A document request of the main frame that got no answer (the browser shows its error page instead). */
    record DocumentFailure(String url, String errorText) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SNAPSHOT_SCRIPT = "JSON.stringify({title: document.title, ready: document.readyState,"
            + " url: location.href, html: document.documentElement ? document.documentElement.outerHTML : ''})";

    private final ContextLease lease;
    private final CdpSession page;
    private final String mainFrame;
    private final Duration commandTimeout;
    private final CdpSession.Subscription subscription;
    /** Request headers by request id: the extra-info ones (what went on the wire) win over the renderer's. */
    private final Map<String, Map<String, String>> requestHeaders = new ConcurrentHashMap<>();
    private final Map<String, Boolean> wireHeaders = new ConcurrentHashMap<>();
    /** The URL of each document request of the main frame, by request id. */
    private final Map<String, String> documentUrls = new ConcurrentHashMap<>();
    private final AtomicInteger submissions = new AtomicInteger();
    private final AtomicInteger submissionsChallengedAgain = new AtomicInteger();
    private final AtomicInteger challengeDocuments = new AtomicInteger();
    private volatile boolean submissionPending;
    private volatile DocumentResponse lastDocument;
    private volatile DocumentFailure lastFailure;

    private ChallengePage(ContextLease lease, Duration commandTimeout) throws InterruptedException {
        this.lease = lease;
        this.page = lease.page();
        this.commandTimeout = commandTimeout;
        this.mainFrame = lease.mainFrameId();
        this.subscription = page.on(this::onEvent);
    }

    /** Starts watching the lease's page; close to stop. */
    static ChallengePage watch(ContextLease lease, Duration commandTimeout) throws InterruptedException {
        ChallengePage watched = new ChallengePage(lease, commandTimeout);
        try {
            watched.page.call("Network.enable", null, commandTimeout);
        } catch (CdpException | InterruptedException e) {
            watched.close();
            throw e;
        }
        return watched;
    }

    private void onEvent(String method, JsonNode params) {
        switch (method) {
            case "Network.requestWillBeSent" -> {
                if (!isMainDocument(params)) {
                    return;
                }
                String id = params.path("requestId").asText();
                JsonNode request = params.path("request");
                wireHeaders.remove(id);
                requestHeaders.put(id, headers(request.path("headers")));
                documentUrls.put(id, request.path("url").asText());
                if ("POST".equals(request.path("method").asText())
                        && ChallengeMarkers.isSolveSubmission(request.path("url").asText())) {
                    submissions.incrementAndGet();
                    submissionPending = true;
                }
            }
            case "Network.requestWillBeSentExtraInfo" -> {
                String id = params.path("requestId").asText();
                if (requestHeaders.containsKey(id)) {
                    requestHeaders.put(id, headers(params.path("headers")));
                    wireHeaders.put(id, true);
                }
            }
            case "Network.responseReceived" -> {
                if (!isMainDocument(params)) {
                    return;
                }
                JsonNode response = params.path("response");
                DocumentResponse document = new DocumentResponse(params.path("requestId").asText(),
                        response.path("url").asText(), response.path("status").asInt(), headers(response.path("headers")));
                lastDocument = document;
                if (isChallengeAnswer(document)) {
                    challengeDocuments.incrementAndGet();
                    if (submissionPending) {
                        submissionPending = false;
                        submissionsChallengedAgain.incrementAndGet();
                    }
                } else {
                    submissionPending = false;
                }
            }
            case "Network.loadingFailed" -> {
                String url = documentUrls.get(params.path("requestId").asText());
                // ERR_ABORTED: a navigation replaced by another (a challenge's reload), not a failure of the page.
                if (url != null && !"net::ERR_ABORTED".equals(params.path("errorText").asText())) {
                    lastFailure = new DocumentFailure(url, params.path("errorText").asText());
                }
            }
            default -> { }
        }
    }

    private boolean isMainDocument(JsonNode params) {
        return "Document".equals(params.path("type").asText()) && mainFrame.equals(params.path("frameId").asText());
    }

    /** A challenge answer by its status line and headers alone (the body is read later, from the DOM). */
    private static boolean isChallengeAnswer(DocumentResponse document) {
        PageSnapshot headersOnly = new PageSnapshot(document.status(), document.headers(), "", "");
        return new ChallengeDetector().detect(headersOnly).verdict() == Verdict.CHALLENGE;
    }

    private static Map<String, String> headers(JsonNode node) {
        Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /**
     * Navigates the main frame and waits for its load event, however long the page's answer takes (a stalled
     * proxy is cut by the proxy watch, the deadline by the worker).
     */
    void navigate(String url, Duration timeout) throws InterruptedException {
        lease.navigate(url, timeout);
    }

    /** A future for the main frame's next load event; register it before looking, then wait on it. */
    CompletableFuture<JsonNode> nextLoad() {
        return page.next("Page.loadEventFired", p -> true);
    }

    /** The page as it stands, or null while the document is being replaced (no context to read it in). */
    Snapshot snapshot() throws InterruptedException {
        DocumentResponse document = lastDocument;
        JsonNode read;
        try {
            read = JSON.readTree(lease.evaluateIsolated(SNAPSHOT_SCRIPT, commandTimeout).asText());
        } catch (NavigationFailedException e) {
            throw e;
        } catch (CdpException | IOException e) {
            return null; // the frame navigated between our two commands; look again on the next turn
        }
        int status = document == null ? 0 : document.status();
        Map<String, String> responseHeaders = document == null ? Map.of() : document.headers();
        return new Snapshot(document, read.path("url").asText(), read.path("ready").asText(),
                new PageSnapshot(status, responseHeaders, read.path("title").asText(), read.path("html").asText()));
    }

    /** What the solver looks at once per turn. */
    record Snapshot(DocumentResponse document, String url, String readyState, PageSnapshot page) {
        boolean loaded() {
            return "complete".equals(readyState);
        }

        /** The browser shows its own error page: the main frame's latest navigation got no answer. */
        boolean errorPage() {
            return url.startsWith("chrome-error:");
        }

        /** Whether the page shown is the document answered last (not one the page has since navigated away to). */
        boolean showsDocument() {
            return document != null && withoutFragment(url).equals(withoutFragment(document.url()));
        }

        private static String withoutFragment(String url) {
            int hash = url.indexOf('#');
            return hash < 0 ? url : url.substring(0, hash);
        }
    }

    /** The latest document request of the main frame that got no answer, if any did. */
    Optional<DocumentFailure> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /** Every cookie the browser would send to {@code url} (the site's zone and its parents), as it describes them. */
    Cookies cookies(String url) throws InterruptedException {
        if (url == null || !url.startsWith("http")) {
            return new Cookies(List.of());
        }
        JsonNode answer = page.call("Network.getCookies", page.params().set("urls",
                page.params().arrayNode().add(url)), commandTimeout);
        List<JsonNode> all = new ArrayList<>();
        answer.path("cookies").forEach(all::add);
        return new Cookies(all);
    }

    /** Cookies as {@code Network.getCookies} describes them. */
    record Cookies(List<JsonNode> all) {
        /** Name → value, in the browser's order. */
        Map<String, String> values() {
            Map<String, String> out = new LinkedHashMap<>();
            all.forEach(c -> out.put(c.path("name").asText(), c.path("value").asText()));
            return out;
        }

        Optional<JsonNode> named(String name) {
            return all.stream().filter(c -> name.equals(c.path("name").asText())).findFirst();
        }
    }

    /** Sets a cookie described as {@code Network.getCookies} describes one (before the page navigates). */
    void setCookie(JsonNode cookie) throws InterruptedException {
        var params = page.params();
        for (String field : COOKIE_FIELDS) {
            if (cookie.has(field)) {
                params.set(field, cookie.get(field));
            }
        }
        if (cookie.path("session").asBoolean(false)) {
            params.remove("expires");
        }
        JsonNode answer = page.call("Network.setCookie", params, commandTimeout);
        if (answer.has("success") && !answer.path("success").asBoolean()) {
            throw new CdpException("the browser refused the cookie " + cookie.path("name").asText());
        }
    }

    /** The parts of a cookie {@code Network.setCookie} takes back. */
    private static final List<String> COOKIE_FIELDS = List.of("name", "value", "domain", "path",
            "expires", "httpOnly", "secure", "sameSite", "priority", "sourceScheme", "sourcePort", "partitionKey");

    /**
     * The body of a document answer as the server sent it; empty when the browser no longer holds it (the page has
     * navigated since, or the body was larger than the browser keeps).
     */
    Optional<String> responseBody(DocumentResponse document) throws InterruptedException {
        JsonNode answer;
        try {
            answer = page.call("Network.getResponseBody", page.params().put("requestId", document.requestId()),
                    commandTimeout);
        } catch (CdpClosedException e) {
            throw e;
        } catch (CdpException e) {
            return Optional.empty();
        }
        String body = answer.path("body").asText("");
        return Optional.of(answer.path("base64Encoded").asBoolean()
                ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body);
    }

    /** Whether a document answer of the main frame has come since {@code document}. */
    boolean replaced(DocumentResponse document) {
        return lastDocument != document;
    }

    /** The headers the browser sent with a document request (lower-case names). */
    Map<String, String> requestHeaders(String requestId) {
        Map<String, String> out = new LinkedHashMap<>();
        requestHeaders.getOrDefault(requestId, Map.of())
                .forEach((name, value) -> out.put(name.toLowerCase(Locale.ROOT), value));
        return out;
    }

    /** Challenge-form submissions sent so far. */
    int submissions() {
        return submissions.get();
    }

    /** Submissions answered (after the redirect) by the challenge again: each is one turn of a loop. */
    int submissionsChallengedAgain() {
        return submissionsChallengedAgain.get();
    }

    /** Challenge documents served so far (first page, refreshes, loops). */
    int challengeDocuments() {
        return challengeDocuments.get();
    }

    ContextLease lease() {
        return lease;
    }

    @Override
    public void close() {
        subscription.close();
    }
}
