package dev.turnpike.server.account;

import java.time.Instant;

/** One line of {@code turnpike keys list}. */
public record AccountInfo(long id, String name, String keyPrefix, long balance, long held, boolean active,
                          Instant createdAt) {

    public long available() {
        return balance - held;
    }
}
