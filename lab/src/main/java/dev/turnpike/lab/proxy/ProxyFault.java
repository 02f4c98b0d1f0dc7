package dev.turnpike.lab.proxy;

/** A fault a proxy account can be set to show (LAB.md L4.13), so solvers' proxy error paths can be tested. */
public enum ProxyFault {
    /** Behaves well. */
    NONE,
    /** Closes every new connection at once, before any byte of the proxy protocol is answered. */
    REFUSE,
    /** Accepts the connection, then never answers. */
    STALL,
    /** Answers the handshake, then drops the connection in the middle of the stream. */
    DROP,
    /** Rejects the credentials (HTTP 407 / SOCKS5 auth failure) even when they are right. */
    WRONG_CREDENTIALS,
    /**
     * Takes the credentials, then answers every request with its own error instead of reaching the target:
     * {@code 502 Bad Gateway} on HTTP (CONNECT and plain requests alike), "general SOCKS server failure" on SOCKS5.
     */
    BAD_GATEWAY;

    /** How many bytes a {@code DROP} account lets through from the target before cutting the stream. */
    public static final int DROP_AFTER_BYTES = 12;
}
