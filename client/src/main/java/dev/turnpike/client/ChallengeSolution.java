package dev.turnpike.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * A passed Cloudflare challenge: what a program needs to replay requests through the same proxy. The clearance is
 * bound to {@link #userAgent()} and the proxy's exit address, so send both with {@link #cookieHeader()}.
 *
 * @param taskId      the task that was solved
 * @param cookies     name → value, read from an object or a list of {@code {name, value}}; includes
 *                    {@code cf_clearance} when the service sent it only beside the cookies
 * @param cfClearance the {@code cf_clearance} cookie, when present
 * @param userAgent   from {@code userAgent}, {@code user_agent} or {@code header["user-agent"]}
 * @param headers     the headers the browser sent, names in lower case
 * @param status      the HTTP status of the final page (or of the {@code rqData} POST)
 * @param url         the final URL after redirects
 * @param body        the final page, or the {@code rqData} POST's answer
 */
public record ChallengeSolution(TaskId taskId, Map<String, String> cookies, Optional<String> cfClearance,
                                Optional<String> userAgent, Map<String, String> headers, OptionalInt status,
                                Optional<String> url, Optional<String> body) {

    /**
     * Copies the maps, so a solution does not change.
     *
     * @throws NullPointerException when a component is null
     */
    public ChallengeSolution {
        Objects.requireNonNull(taskId, "taskId");
        cookies = Collections.unmodifiableMap(new LinkedHashMap<>(cookies));
        Objects.requireNonNull(cfClearance, "cfClearance");
        Objects.requireNonNull(userAgent, "userAgent");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(body, "body");
    }

    /**
     * The cookies as a {@code Cookie} header value: {@code name=value; name2=value2}.
     *
     * @return the header value; empty without cookies
     */
    public String cookieHeader() {
        return cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
    }
}
