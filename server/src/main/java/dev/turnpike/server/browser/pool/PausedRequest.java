package dev.turnpike.server.browser.pool;

import java.net.URI;
import java.util.Map;

/**
 * A request the browser paused for us ({@code Fetch.requestPaused}).
 *
 * @param url          the full URL
 * @param method       GET, POST...
 * @param resourceType Document, Script, XHR...
 * @param frameId      the frame that sends it
 * @param headers      request headers as the browser will send them
 */
public record PausedRequest(String url, String method, String resourceType, String frameId,
                            Map<String, String> headers) {

    /** The host, or null for URLs without one (data:, blob:, about:). */
    public String host() {
        try {
            String host = URI.create(url).getHost();
            if (host != null && host.startsWith("[") && host.endsWith("]")) {
                return host.substring(1, host.length() - 1);
            }
            return host;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public boolean isDocument() {
        return "Document".equals(resourceType);
    }
}
