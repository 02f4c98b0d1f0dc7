package dev.turnpike.server.solver.turnstile;

/**
 * The parameters a page rendered one of its widgets with, as the widget iframe learned them: sitekey, theme and
 * size from its URL; action, cData, chlPageData, execution, appearance and refresh-expired from the page's
 * {@code extraParams} answer. Strings are as the page gave them (null when absent).
 */
record RenderParams(String sitekey, String action, String cData, String chlPageData, String theme, String size,
                    String execution, String appearance, String refreshExpired) {

    private static final int SHOWN = 64;

    /** For logs: chlPageData by its length only (an opaque blob of the site's), values cut and made printable. */
    String describe() {
        return "action=" + shown(action) + " cData=" + shown(cData) + " chlPageData="
                + (chlPageData == null ? "-" : chlPageData.length() + " chars") + " theme=" + shown(theme)
                + " size=" + shown(size) + " execution=" + shown(execution) + " appearance=" + shown(appearance)
                + " refresh-expired=" + shown(refreshExpired);
    }

    /** The page wrote these values: a log line must not carry its line breaks or a whole page. */
    static String shown(String value) {
        if (value == null) {
            return "-";
        }
        String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
        return '"' + (printable.length() > SHOWN ? printable.substring(0, SHOWN) + "…" : printable) + '"';
    }

    @Override
    public String toString() {
        return "RenderParams[sitekey=" + sitekey + " " + describe() + "]";
    }
}
