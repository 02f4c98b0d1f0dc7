package dev.turnpike.server.browser.proxy;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the task's proxy last said of its own about each host: its error answer to the latest tunnel it was asked to
 * open there ({@code 502 Bad Gateway}, a SOCKS failure reply), forgotten again when a later tunnel to that host opens.
 * Such an answer is about one target, so it does not fail the task by itself (a page's third-party request may meet
 * it); but when it concerns the page's own host, the page the browser shows is the proxy's, not the site's.
 */
final class ProxyAnswers {

    private final Map<String, String> latestErrors = new ConcurrentHashMap<>();

    void errorAnswered(String host, String answer) {
        latestErrors.put(key(host), answer);
    }

    void tunnelOpened(String host) {
        latestErrors.remove(key(host));
    }

    /** The proxy's own error answer to the latest tunnel asked for {@code host}, if that tunnel did not open. */
    Optional<String> latestErrorFor(String host) {
        return Optional.ofNullable(latestErrors.get(key(host)));
    }

    private static String key(String host) {
        return host.toLowerCase(Locale.ROOT);
    }
}
