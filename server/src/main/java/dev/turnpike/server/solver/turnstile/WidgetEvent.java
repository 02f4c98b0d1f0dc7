package dev.turnpike.server.solver.turnstile;

/**
 * What a Turnstile widget told its page (its {@code postMessage} to the parent), as our listener saw it.
 *
 * @param event      init, complete, fail, interactiveBegin, interactiveTimeout, ...
 * @param widgetId   {@code cf-chl-widget-xxxxx}, or null
 * @param token      with complete
 * @param code       with fail
 * @param watchdogMs with init, when the widget says how long it may take (0 when it does not)
 */
record WidgetEvent(String event, String widgetId, String token, String code, long watchdogMs) {

    /** The 5 characters that also appear in the widget iframe's URL. */
    String shortId() {
        return widgetId != null && widgetId.startsWith("cf-chl-widget-") ? widgetId.substring(14) : widgetId;
    }
}
