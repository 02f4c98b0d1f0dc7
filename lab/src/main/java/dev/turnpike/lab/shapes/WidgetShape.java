package dev.turnpike.lab.shapes;

/**
 * The ways real sites embed a Turnstile widget (where it lives, when it appears, which one is meant, how its token
 * ages), one lab page each ({@link ShapePages}). Each page renders the widget of the sitekey under test with the
 * action and cData named here, which a solver must bring back in its token.
 */
public enum WidgetShape {
    TOP_DOCUMENT("top", false),
    SAME_ORIGIN_IFRAME("same-origin-iframe", false),
    CROSS_ORIGIN_IFRAME("cross-origin-iframe", false),
    NESTED_IFRAMES("nested-iframes", false),
    OPEN_SHADOW_ROOT("open-shadow", false),
    CLOSED_SHADOW_ROOT("closed-shadow", false),
    /** Far below the fold: an interactive widget must be scrolled to before its click. */
    BELOW_THE_FOLD("below-fold", true),
    /** Deep inside a scrolled container of its own. */
    SCROLLED_CONTAINER("scrolled-container", true),
    /** Under a cookie banner covering most of the viewport's lower part: the click must not land on the banner. */
    UNDER_OVERLAY("under-overlay", true),
    EXPLICIT_ONLOAD("explicit-onload", false),
    /** Rendered five seconds after the page's load event (past the 4 s M1 gives a page with no sign of Turnstile). */
    RENDERED_LATE("rendered-late", false),
    /** Rendered, then re-rendered by the page's script (removed and added again). */
    REMOVED_AND_READDED("removed-readded", false),
    /** Rendered, then reset by the page's script. */
    RESET_BY_PAGE("reset-by-page", false),
    /** {@code execution: 'execute'}: nothing runs until the form's submit calls {@code turnstile.execute}. */
    EXECUTE_ON_SUBMIT("execute-on-submit", false),
    /** {@code appearance: 'interaction-only'}: hidden until the widget needs a click. */
    INTERACTION_ONLY("interaction-only", true),
    /** {@code appearance: 'execute'}: shown once executed. */
    APPEARANCE_EXECUTE("appearance-execute", false),
    /** Widgets of another sitekey around the one under test. */
    SEVERAL_SITEKEYS("several-sitekeys", false),
    /** The sitekey under test twice, actions {@code login} and this shape's: the task's action picks. */
    SAME_SITEKEY_TWO_ACTIONS("two-actions", false),
    /** {@code api.js?compat=recaptcha} and {@code grecaptcha.render}, the response in {@code g-recaptcha-response}. */
    RECAPTCHA_COMPAT("recaptcha-compat", false),
    /**
     * {@code refresh-expired: auto} with an {@code expired-callback}: the widget renews its token itself. The three
     * refresh shapes show their lifecycle with a short token lifetime on the sitekey (hostile {@code tokenTtlMs}).
     */
    REFRESH_EXPIRED_AUTO("refresh-auto", false),
    /** {@code refresh-expired: manual}: an expired widget shows its "Refresh" link, a person clicks it. */
    REFRESH_EXPIRED_MANUAL("refresh-manual", false),
    /** {@code refresh-expired: never}: an expired widget stays expired until the page resets it. */
    REFRESH_EXPIRED_NEVER("refresh-never", false);

    private final String slug;
    private final boolean interactive;

    WidgetShape(String slug, boolean interactive) {
        this.slug = slug;
        this.interactive = interactive;
    }

    /** The page's path on the shapes host. */
    public String path() {
        return "/shapes/" + slug;
    }

    /** The action the page renders the widget under test with. */
    public String action() {
        return slug.length() > 32 ? slug.substring(0, 32) : slug;
    }

    /** The cData the page renders the widget under test with. */
    public String cData() {
        return "shape-" + slug;
    }

    /** The action a task must name to pick this page's widget (null: the page's only widget of the sitekey). */
    public String taskAction() {
        return this == SAME_SITEKEY_TWO_ACTIONS ? action() : null;
    }

    /** Whether the page is meant for a sitekey that always asks for a trusted click (the click's path is the point). */
    public boolean interactive() {
        return interactive;
    }

    public String slug() {
        return slug;
    }
}
