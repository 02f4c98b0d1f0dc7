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
    WRONG_CREDENTIALS
}
