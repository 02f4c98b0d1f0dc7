package dev.turnpike.server.api;

import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.Settings;
import java.time.Duration;
import java.util.Objects;

/**
 * How long a client may take to send a request: its head (from the connection's opening, or the end of its previous
 * answer) and its body (from the head). A client that trickles bytes never goes idle, so an idle timeout alone does
 * not bound it; these do.
 */
public record ReadDeadlines(Duration head, Duration body) {

    public ReadDeadlines {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(body, "body");
    }

    public static ReadDeadlines of(Config config) {
        return new ReadDeadlines(config.get(Settings.HTTP_HEAD_TIMEOUT), config.get(Settings.HTTP_BODY_TIMEOUT));
    }
}
