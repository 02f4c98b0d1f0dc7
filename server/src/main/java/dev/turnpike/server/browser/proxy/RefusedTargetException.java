package dev.turnpike.server.browser.proxy;

/** The address policy refused a target the browser asked the relay for; nothing was dialled. */
final class RefusedTargetException extends Exception {

    RefusedTargetException(Refusal refusal) {
        super(refusal.toString(), null, false, false);
    }
}
