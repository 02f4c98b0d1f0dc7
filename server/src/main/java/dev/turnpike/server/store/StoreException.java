package dev.turnpike.server.store;

/** The store failed (connection lost, constraint broken): a fault of Turnpike's own, not the client's. */
public final class StoreException extends RuntimeException {
    public StoreException(String operation, Throwable cause) {
        super("store failed during " + operation + ": " + cause.getMessage(), cause);
    }
}
