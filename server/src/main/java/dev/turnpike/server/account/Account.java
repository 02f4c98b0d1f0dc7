package dev.turnpike.server.account;

/**
 * An active account, as known after its client key was checked.
 *
 * @param id        the account's number
 * @param name      the operator's label
 * @param keyPrefix the first characters of its key: safe to show and log
 */
public record Account(long id, String name, String keyPrefix) {
}
