package dev.turnpike.client;

import java.util.Objects;

/**
 * A Cloudflare Turnstile task (PROTOCOL.md §4.1). {@link #of} picks the type from the options; the canonical
 * constructor takes any type name, for services that want their own alias (CapSolver's
 * {@code AntiTurnstileTaskProxyLess}). Optional fields may be {@code null}.
 *
 * @param type        the type name the service accepts, e.g. {@link #PROXYLESS}
 * @param websiteURL  the page that shows the widget
 * @param websiteKey  the widget's sitekey
 * @param action      the widget's {@code action}, or null
 * @param cData       the widget's {@code cData}, or null
 * @param chlPageData the widget's {@code chlPageData}, or null
 * @param userAgent   the user agent the browser should present, or null for its own
 * @param proxy       the proxy to solve through ({@link #WITH_PROXY}), or null
 */
public record TurnstileTask(String type, String websiteURL, String websiteKey, String action, String cData,
                            String chlPageData, String userAgent, String proxy) implements TaskRequest {

    /** The fast mode: the widget rendered on the target origin. */
    public static final String PROXYLESS = "TurnstileTaskProxyless";
    /** The full mode: the real page loaded and its own widget solved. */
    public static final String PROXYLESS_M1 = "TurnstileTaskProxylessM1";
    /** Solved through the given proxy. */
    public static final String WITH_PROXY = "TurnstileTask";

    /**
     * Checks the required components.
     *
     * @throws NullPointerException when {@code type}, {@code websiteURL} or {@code websiteKey} is null
     */
    public TurnstileTask {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(websiteURL, "websiteURL");
        Objects.requireNonNull(websiteKey, "websiteKey");
    }

    /**
     * The task for the widget with {@code websiteKey} on {@code websiteURL}; its type follows the options.
     *
     * @param websiteURL the page that shows the widget
     * @param websiteKey the widget's sitekey
     * @param options    action, cData, mode, proxy
     * @return the task
     */
    public static TurnstileTask of(String websiteURL, String websiteKey, TurnstileOptions options) {
        Objects.requireNonNull(options, "options");
        String type = options.proxy() != null ? WITH_PROXY : options.fullMode() ? PROXYLESS_M1 : PROXYLESS;
        return new TurnstileTask(type, websiteURL, websiteKey, options.action(), options.cData(),
                options.chlPageData(), options.userAgent(), options.proxy());
    }

    @Override
    public String toString() {
        return "TurnstileTask[type=" + type + ", websiteURL=" + websiteURL + ", websiteKey=" + websiteKey
                + ", action=" + action + ", cData=" + cData + ", chlPageData=" + chlPageData
                + ", userAgent=" + userAgent + ", proxy=" + Redaction.proxy(proxy) + "]";
    }
}
