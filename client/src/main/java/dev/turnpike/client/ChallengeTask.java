package dev.turnpike.client;

import java.util.Objects;

/**
 * A Cloudflare challenge-page task, {@code CloudFlare5STask} (PROTOCOL.md §4.2): pass the challenge on
 * {@code websiteURL} through {@code proxy}, the proxy the caller will use afterwards, since the clearance cookie is
 * bound to its exit address. {@code rqData} and {@code userAgent} may be {@code null}.
 *
 * @param type       the type name the service accepts, e.g. {@link #CLOUDFLARE_5S}
 * @param websiteURL the page behind the challenge
 * @param proxy      the proxy to solve through, e.g. {@code http://user:pass@host:port}
 * @param rqData     a POST to send once through the challenge, or null
 * @param userAgent  the user agent the browser should present, or null for its own
 */
public record ChallengeTask(String type, String websiteURL, String proxy, RqData rqData, String userAgent)
        implements TaskRequest {

    /** The EZ-Captcha type name, which Turnpike speaks. */
    public static final String CLOUDFLARE_5S = "CloudFlare5STask";

    /**
     * Checks the required components.
     *
     * @throws NullPointerException when {@code type}, {@code websiteURL} or {@code proxy} is null
     */
    public ChallengeTask {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(websiteURL, "websiteURL");
        Objects.requireNonNull(proxy, "proxy (the challenge is solved through the proxy the caller will use)");
    }

    /**
     * A plain challenge task: pass the challenge, no POST afterwards.
     *
     * @param websiteURL the page behind the challenge
     * @param proxy      the proxy to solve through, and to use afterwards
     * @return the task, of type {@link #CLOUDFLARE_5S}
     */
    public static ChallengeTask of(String websiteURL, String proxy) {
        return new ChallengeTask(CLOUDFLARE_5S, websiteURL, proxy, null, null);
    }

    /**
     * This task, sending {@code value} as a POST to the URL once through the challenge.
     *
     * @param value the POST, or null for none
     * @return a copy of this task with it
     */
    public ChallengeTask withRqData(RqData value) {
        return new ChallengeTask(type, websiteURL, proxy, value, userAgent);
    }

    /**
     * This task, asking for {@code value} as the browser's user agent.
     *
     * @param value the user agent, or null for the browser's own
     * @return a copy of this task with it
     */
    public ChallengeTask withUserAgent(String value) {
        return new ChallengeTask(type, websiteURL, proxy, rqData, value);
    }

    @Override
    public String toString() {
        return "ChallengeTask[type=" + type + ", websiteURL=" + websiteURL + ", proxy=" + Redaction.proxy(proxy)
                + ", rqData=" + rqData + ", userAgent=" + userAgent + "]";
    }
}
