package dev.turnpike.client;

import java.util.regex.Pattern;

/** Hides secrets in text meant for logs: a proxy's password never leaves through a {@code toString}. */
final class Redaction {

    /** {@code scheme://user:pass@host:port} and {@code user:pass@host:port}. */
    private static final Pattern USERINFO = Pattern.compile("^((?:[a-zA-Z][a-zA-Z0-9+.-]*://)?[^:@/]*):[^@/]*@");
    /** {@code host:port:user:pass} and {@code scheme:host:port:user:pass}. */
    private static final Pattern COLON_FORM = Pattern.compile("^((?:[a-zA-Z0-9]+:)?[^:@/]+:\\d+:[^:@/]*):.*$");

    private Redaction() {
    }

    static String proxy(String proxy) {
        if (proxy == null) {
            return null;
        }
        String hidden = USERINFO.matcher(proxy).replaceFirst("$1:***@");
        if (!hidden.equals(proxy)) {
            return hidden;
        }
        return COLON_FORM.matcher(proxy).replaceFirst("$1:***");
    }
}
