package dev.turnpike.server.browser.cdp;

/**
 * The DevTools connection is gone (the browser exited, crashed, was killed, or the pool closed it):
 * every command still pending, and every one sent later, fails with this.
 */
public final class CdpClosedException extends CdpException {

    public CdpClosedException(String message) {
        super(message);
    }
}
