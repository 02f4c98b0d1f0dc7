package dev.turnpike.server.task;

import dev.turnpike.server.net.ProxySpec;
import java.net.URI;
import java.util.Map;

/** What a task asks for, validated: the API layer builds one of these from the wire fields. */
public sealed interface TaskSpec {

    TaskType type();

    URI websiteUrl();

    /**
     * A Turnstile token: {@link TaskType#TURNSTILE_PROXYLESS} or {@link TaskType#TURNSTILE_PROXYLESS_M1}.
     *
     * @param action      widget action, or null
     * @param cData       widget cData, or null
     * @param chlPageData opaque page data, or null
     * @param userAgent   a wanted user agent, or null
     * @param proxy       null for proxyless; set for the {@code TurnstileTask} alias with proxy fields
     */
    record Turnstile(TaskType type, URI websiteUrl, String websiteKey, String action, String cData,
                     String chlPageData, String userAgent, ProxySpec proxy) implements TaskSpec {
    }

    /**
     * A challenge page passed through the client's proxy: {@link TaskType#CLOUDFLARE_CHALLENGE}.
     *
     * @param proxy     required, with credentials
     * @param rqData    null, or the POST to send once cleared
     * @param userAgent a wanted user agent, or null
     */
    record Challenge(URI websiteUrl, ProxySpec proxy, RqData rqData, String userAgent) implements TaskSpec {
        @Override
        public TaskType type() {
            return TaskType.CLOUDFLARE_CHALLENGE;
        }
    }

    /**
     * The POST of {@code rqData} (PROTOCOL.md §4.2).
     *
     * @param mode   JSON or FORM
     * @param fields the body fields in order, values as parsed JSON (String, Number, Boolean, null, List, Map)
     */
    record RqData(Mode mode, Map<String, Object> fields) {
        public enum Mode { JSON, FORM }
    }
}
