package dev.turnpike.connect;

/**
 * What a proxy does with one request once its target is read: the proxy's own policy (credentials, the address
 * policy, faults), called on the connection's event loop for every request, so it must not block.
 */
@FunctionalInterface
public interface ProxyGate {

    /**
     * @param connect            a CONNECT (a tunnel), else a plain absolute-URI request
     * @param proxyAuthorization the request's {@code Proxy-Authorization} header, or null
     */
    Verdict decide(ProxyTarget target, boolean connect, String proxyAuthorization);

    /** The gate's answer to one request. */
    sealed interface Verdict {

        /** Close the connection without an answer. */
        record Close() implements Verdict {
        }

        /** Keep the connection, read and discard, never answer. */
        record Stall() implements Verdict {
        }

        /**
         * A short answer of the proxy's own, then close.
         *
         * @param status       e.g. {@code 407 Proxy Authentication Required}
         * @param extraHeaders header lines, each ending in CRLF, or empty
         */
        record Answer(String status, String extraHeaders) implements Verdict {
        }

        /** Go on through this upstream link. */
        record Dial(UpstreamLink link) implements Verdict {
        }
    }
}
