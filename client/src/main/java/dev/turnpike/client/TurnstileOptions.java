package dev.turnpike.client;

/**
 * The optional parts of a Turnstile task. Start from {@link #none()} and add what the page needs:
 * {@code TurnstileOptions.none().withAction("login").withCData("abc")}. Every field may be {@code null} (absent).
 *
 * @param action      the widget's action ({@code data-action})
 * @param cData       the widget's cData ({@code data-cdata})
 * @param chlPageData the widget's chlPageData, opaque
 * @param userAgent   a user agent the token should be made with
 * @param proxy       a proxy to solve through ({@code http://user:pass@host:port}); makes the task a
 *                    {@code TurnstileTask}
 * @param fullMode    load the real page and solve its own widget ({@code TurnstileTaskProxylessM1}): slower and
 *                    dearer, for sites that refuse the fast mode; has no proxy form
 */
public record TurnstileOptions(String action, String cData, String chlPageData, String userAgent, String proxy,
                               boolean fullMode) {

    private static final TurnstileOptions NONE = new TurnstileOptions(null, null, null, null, null, false);

    /**
     * Checks that the options go together.
     *
     * @throws IllegalArgumentException when {@code fullMode} is asked with a proxy
     */
    public TurnstileOptions {
        if (fullMode && proxy != null) {
            throw new IllegalArgumentException("the full mode (TurnstileTaskProxylessM1) has no proxy form");
        }
    }

    /**
     * No options: a fast, proxyless solve.
     *
     * @return the options
     */
    public static TurnstileOptions none() {
        return NONE;
    }

    /**
     * These options, with the widget's {@code action}.
     *
     * @param value the value, or null for none
     * @return a copy with it
     */
    public TurnstileOptions withAction(String value) {
        return new TurnstileOptions(value, cData, chlPageData, userAgent, proxy, fullMode);
    }

    /**
     * These options, with the widget's {@code cData}.
     *
     * @param value the value, or null for none
     * @return a copy with it
     */
    public TurnstileOptions withCData(String value) {
        return new TurnstileOptions(action, value, chlPageData, userAgent, proxy, fullMode);
    }

    /**
     * These options, with the widget's {@code chlPageData}.
     *
     * @param value the value, or null for none
     * @return a copy with it
     */
    public TurnstileOptions withChlPageData(String value) {
        return new TurnstileOptions(action, cData, value, userAgent, proxy, fullMode);
    }

    /**
     * These options, with the user agent the token should be made with.
     *
     * @param value the value, or null for none
     * @return a copy with it
     */
    public TurnstileOptions withUserAgent(String value) {
        return new TurnstileOptions(action, cData, chlPageData, value, proxy, fullMode);
    }

    /**
     * These options, with the proxy to solve through.
     *
     * @param value the value, or null for none
     * @return a copy with it
     */
    public TurnstileOptions withProxy(String value) {
        return new TurnstileOptions(action, cData, chlPageData, userAgent, value, fullMode);
    }

    /**
     * These options, in the full mode or not.
     *
     * @param value true to load the real page and solve its own widget
     * @return a copy with it
     */
    public TurnstileOptions withFullMode(boolean value) {
        return new TurnstileOptions(action, cData, chlPageData, userAgent, proxy, value);
    }

    @Override
    public String toString() {
        return "TurnstileOptions[action=" + action + ", cData=" + cData + ", chlPageData=" + chlPageData
                + ", userAgent=" + userAgent + ", proxy=" + Redaction.proxy(proxy) + ", fullMode=" + fullMode + "]";
    }
}
