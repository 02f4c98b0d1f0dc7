package dev.turnpike.client;

import java.util.Objects;
import java.util.Optional;

/**
 * A solved Turnstile widget. The token is single-use and lives 300 s at Cloudflare; use it within a minute.
 *
 * @param taskId    the task that was solved
 * @param token     read from {@code token}, else {@code gRecaptchaResponse}
 * @param userAgent the user agent the token was made with, when the service says (send the same one with it)
 */
public record TurnstileSolution(TaskId taskId, String token, Optional<String> userAgent) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException when a component is null
     */
    public TurnstileSolution {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(userAgent, "userAgent");
    }
}
