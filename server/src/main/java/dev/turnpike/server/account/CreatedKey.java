package dev.turnpike.server.account;

/**
 * A new client key, returned once: only its hash is stored, so it cannot be shown again.
 *
 * @param account the new account
 * @param key     the full key; give it to the client and forget it
 */
public record CreatedKey(Account account, String key) {

    @Override
    public String toString() {
        return "CreatedKey[" + account + "]";
    }
}
