package dev.turnpike.server.solver.widget;

import java.util.function.UnaryOperator;

/** What a person clicks in a Turnstile widget's iframe. */
public enum WidgetControl {
    /** The interactive challenge's checkbox: the first {@code input type=checkbox}. */
    CHECKBOX,
    /**
     * The "Refresh" link an expired widget shows when the page rendered it with {@code refresh-expired: manual}:
     * Cloudflare's {@code a#expired-refresh-link} ({@code href="#refresh"}).
     */
    EXPIRED_REFRESH;

    /** Whether this DOM node (its name, and its attributes by name, null when absent) is the control. */
    boolean matches(String nodeName, UnaryOperator<String> attribute) {
        return switch (this) {
            case CHECKBOX -> "INPUT".equals(nodeName) && "checkbox".equalsIgnoreCase(attribute.apply("type"));
            case EXPIRED_REFRESH -> "A".equals(nodeName) && "expired-refresh-link".equals(attribute.apply("id"));
        };
    }
}
