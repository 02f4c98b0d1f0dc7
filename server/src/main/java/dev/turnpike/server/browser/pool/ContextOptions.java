package dev.turnpike.server.browser.pool;

import java.util.Objects;

/**
 * What a task needs from its browser context.
 *
 * @param proxyServer     null for a direct connection, else Chromium's {@code proxyServer} form, e.g.
 *                        {@code http://127.0.0.1:3128} or {@code socks5://host:1080} (no credentials here)
 * @param proxyBypassList hosts that skip the proxy, or null
 * @param proxyUsername   credentials answered to the proxy's 407 challenge, or null
 * @param proxyPassword   never logged
 * @param hostPolicy      which hosts the pages may reach; requests to others fail in the browser
 */
public record ContextOptions(String proxyServer, String proxyBypassList, String proxyUsername,
                             String proxyPassword, HostPolicy hostPolicy) {

    /** Direct, every host allowed. */
    public static final ContextOptions PROXYLESS = new ContextOptions(null, null, null, null, HostPolicy.ALLOW_ALL);

    public ContextOptions {
        Objects.requireNonNull(hostPolicy, "hostPolicy");
    }

    public static ContextOptions proxyless(HostPolicy policy) {
        return new ContextOptions(null, null, null, null, policy);
    }

    public static ContextOptions viaProxy(String proxyServer, String username, String password, HostPolicy policy) {
        return new ContextOptions(Objects.requireNonNull(proxyServer, "proxyServer"), null, username, password,
                policy);
    }

    /**
     * Through a local relay ({@code http://127.0.0.1:<port>}). {@code <-loopback>} removes Chromium's implicit
     * proxy bypass for loopback addresses, so a page cannot reach this machine directly: every request leaves
     * through the relay, i.e. through the task's proxy.
     */
    public static ContextOptions viaRelay(String relayServer) {
        return new ContextOptions(Objects.requireNonNull(relayServer, "relayServer"), "<-loopback>", null, null,
                HostPolicy.ALLOW_ALL);
    }

    /** Whether a warm (direct) context can serve this task. */
    public boolean isProxyless() {
        return proxyServer == null;
    }

    boolean hasProxyCredentials() {
        return proxyUsername != null && !proxyUsername.isEmpty();
    }

    @Override
    public String toString() {
        return "ContextOptions[proxy=" + (proxyServer == null ? "none" : proxyServer)
                + (hasProxyCredentials() ? " (with credentials)" : "") + "]";
    }
}
