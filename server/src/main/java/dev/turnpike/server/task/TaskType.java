package dev.turnpike.server.task;

import java.util.Locale;
import java.util.Optional;

/**
 * The task types Turnpike solves (PROTOCOL.md §4). Aliases and the CapMonster {@code cloudflareTaskType}
 * switch are resolved by the API layer into one of these.
 */
public enum TaskType {
    /** Fast mode: the widget rendered on the target origin without loading the real page. */
    TURNSTILE_PROXYLESS("TurnstileTaskProxyless"),
    /** Full mode: the real page loaded and its own widget solved. */
    TURNSTILE_PROXYLESS_M1("TurnstileTaskProxylessM1"),
    /** A Cloudflare challenge page passed through the client's proxy. */
    CLOUDFLARE_CHALLENGE("CloudFlare5STask"),
    /**
     * A page fetched in a browser for FlareSolverr's {@code /v1} API, its challenge passed when it shows one. Only
     * {@code /v1} makes these ({@code createTask} does not know the name).
     */
    PAGE_REQUEST("FlareSolverrRequest");

    private final String wireName;

    TaskType(String wireName) {
        this.wireName = wireName;
    }

    /** The canonical name clients send as {@code task.type}. */
    public String wireName() {
        return wireName;
    }

    /** Matches a canonical wire name, case-insensitively (aliases are the API layer's business). */
    public static Optional<TaskType> fromWireName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (TaskType type : values()) {
            if (type.wireName.toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
