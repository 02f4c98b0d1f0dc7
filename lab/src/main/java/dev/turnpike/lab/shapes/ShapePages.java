package dev.turnpike.lab.shapes;

import dev.turnpike.lab.LabAdmin;

/**
 * Serves one lab page per {@link WidgetShape} on a plain host, the widget under test of {@code sitekey} (others of
 * {@code otherSitekey}); frames of another site come from {@code frameHost}. Every page reports its widget's token
 * in {@code window.labToken} (the callback's) and keeps Turnstile's own response field, as a site would.
 */
public final class ShapePages {

    static final String API = "https://challenges.cloudflare.com/turnstile/v0/api.js";

    private final String host;
    private final String frameHost;
    private final String sitekey;
    private final String otherSitekey;

    public ShapePages(String host, String frameHost, String sitekey, String otherSitekey) {
        this.host = host;
        this.frameHost = frameHost;
        this.sitekey = sitekey;
        this.otherSitekey = otherSitekey;
    }

    /** Registers every shape's page (and its inner frames) with the lab. */
    public void registerAll(LabAdmin admin) {
        for (WidgetShape shape : WidgetShape.values()) {
            admin.registerPage(host, shape.path(), html(shape));
        }
        for (WidgetShape shape : new WidgetShape[] {WidgetShape.SAME_ORIGIN_IFRAME, WidgetShape.NESTED_IFRAMES}) {
            admin.registerPage(host, inner(shape), page(shape.slug() + " inner", "", implicit(shape)));
        }
        admin.registerPage(frameHost, inner(WidgetShape.CROSS_ORIGIN_IFRAME),
                page("cross-origin inner", "", implicit(WidgetShape.CROSS_ORIGIN_IFRAME)));
        admin.registerPage(host, inner(WidgetShape.NESTED_IFRAMES) + "-outer", """
                <!doctype html><html><head><title>nested outer</title></head><body>
                <iframe src="%s" width="420" height="200" style="border:0"></iframe></body></html>"""
                .formatted(inner(WidgetShape.NESTED_IFRAMES)));
    }

    /** The URL of a shape's page. */
    public String url(WidgetShape shape) {
        return "https://" + host + shape.path();
    }

    private static String inner(WidgetShape shape) {
        return shape.path() + "/inner";
    }

    /** The page of one shape. */
    public String html(WidgetShape shape) {
        return switch (shape) {
            case TOP_DOCUMENT -> page("top", "", implicit(shape));
            case SAME_ORIGIN_IFRAME -> frame(shape, inner(shape));
            case CROSS_ORIGIN_IFRAME -> frame(shape, "https://" + frameHost + inner(shape));
            case NESTED_IFRAMES -> frame(shape, inner(shape) + "-outer");
            case OPEN_SHADOW_ROOT, CLOSED_SHADOW_ROOT -> shadow(shape);
            case BELOW_THE_FOLD -> page("below the fold", "", "<div style=\"height:2600px\">Scroll down</div>"
                    + implicit(shape));
            case SCROLLED_CONTAINER -> page("scrolled container", "", """
                    <div id="box" style="height:220px;width:460px;overflow:auto;border:1px solid #999">
                    <div style="height:1400px">Terms and conditions...</div>%s<div style="height:300px"></div></div>"""
                    .formatted(implicit(shape)));
            case UNDER_OVERLAY -> page("under an overlay", "", """
                    <div style="height:1600px">Article</div>%s<div style="height:1600px">More</div>
                    <div id="cookie-banner" style="position:fixed;left:0;right:0;bottom:0;height:62vh;background:#223;
                    color:#fff;z-index:1000;padding:16px">We use cookies. <button>Accept</button></div>"""
                    .formatted(implicit(shape)));
            case EXPLICIT_ONLOAD -> explicitPage(shape, "", "turnstile.render('#slot', %s);");
            // Seconds after the load, past M1's plain wait for a page without any sign of Turnstile (PageClock).
            case RENDERED_LATE -> explicitPage(shape, "", """
                    var later = function () { setTimeout(function () { turnstile.render('#slot', %s); }, 5000); };
                    if (document.readyState === 'complete') { later(); } else { window.addEventListener('load', later); }""");
            case REMOVED_AND_READDED -> explicitPage(shape, "", """
                    var first = turnstile.render('#slot', %1$s);
                    setTimeout(function () { turnstile.remove(first); turnstile.render('#slot', %1$s); }, 150);""");
            case RESET_BY_PAGE -> explicitPage(shape, "", """
                    var id = turnstile.render('#slot', %s);
                    setTimeout(function () { turnstile.reset(id); }, 150);""");
            case EXECUTE_ON_SUBMIT -> page("execute on submit", "", """
                    <form id="login"><input name="user" value="ann">
                    <div id="slot" class="cf-turnstile" data-sitekey="%s" data-action="%s" data-cdata="%s"
                      data-execution="execute" data-callback="labDone"></div><button>Sign in</button></form>
                    <script>
                    document.getElementById('login').addEventListener('submit', function (e) {
                      e.preventDefault();
                      turnstile.execute('#slot');
                    });
                    </script>""".formatted(sitekey, shape.action(), shape.cData()));
            case INTERACTION_ONLY -> page("interaction only", "", implicit(shape, "data-appearance=\"interaction-only\""));
            case APPEARANCE_EXECUTE -> page("appearance execute", "", implicit(shape, "data-appearance=\"execute\""));
            case SEVERAL_SITEKEYS -> page("several sitekeys", "", widget(otherSitekey, "newsletter", "other", "")
                    + implicit(shape) + widget(otherSitekey, "comment", "other", ""));
            // The other action's widget first, ours 1.5 s later: a solver taking the first token gets the wrong one.
            case SAME_SITEKEY_TWO_ACTIONS -> page("two actions", "", widget(sitekey, "login", "shape-login", "")
                    + "<div id=\"slot\"></div><script>window.addEventListener('load', function () {"
                    + " setTimeout(function () { turnstile.render('#slot', " + options(shape) + "); }, 1500); });"
                    + "</script>");
            case RECAPTCHA_COMPAT -> page("recaptcha compat", "", """
                    <form><div id="captcha"></div></form>
                    <script>
                    function labCompatLoad() {
                      grecaptcha.render('captcha', {sitekey: '%s', action: '%s', cData: '%s', callback: labDone});
                    }
                    </script>
                    <script src="%s?compat=recaptcha&render=explicit&onload=labCompatLoad" async defer></script>"""
                    .formatted(sitekey, shape.action(), shape.cData(), API), false);
            case REFRESH_EXPIRED_AUTO, REFRESH_EXPIRED_MANUAL, REFRESH_EXPIRED_NEVER -> page(shape.slug(), "",
                    implicit(shape, "data-refresh-expired=\"" + shape.slug().substring("refresh-".length())
                            + "\" data-expired-callback=\"labExpired\""));
        };
    }

    private String frame(WidgetShape shape, String src) {
        return page(shape.slug(), "", "<p>Sign in below</p><iframe src=\"" + src
                + "\" width=\"460\" height=\"240\" style=\"border:0\"></iframe>", false);
    }

    private String shadow(WidgetShape shape) {
        String mode = shape == WidgetShape.OPEN_SHADOW_ROOT ? "open" : "closed";
        return page(shape.slug(), "", """
                <login-box></login-box>
                <script>
                customElements.define('login-box', class extends HTMLElement {
                  connectedCallback() {
                    var root = this.attachShadow({mode: '%s'});
                    var slot = document.createElement('div');
                    root.appendChild(slot);
                    window.labRenderShadow = function () { turnstile.render(slot, %s); };
                  }
                });
                function labShadowLoad() { window.labRenderShadow(); }
                </script>
                <script src="%s?render=explicit&onload=labShadowLoad" async defer></script>"""
                .formatted(mode, options(shape), API), false);
    }

    private String explicitPage(WidgetShape shape, String head, String renderScript) {
        return page(shape.slug(), head, """
                <div id="slot"></div>
                <script>function labLoad() { %s }</script>
                <script src="%s?render=explicit&onload=labLoad" async defer></script>"""
                .formatted(renderScript.formatted(options(shape)), API), false);
    }

    private String options(WidgetShape shape) {
        return "{sitekey: '" + sitekey + "', action: '" + shape.action() + "', cData: '" + shape.cData()
                + "', callback: labDone}";
    }

    private String implicit(WidgetShape shape) {
        return implicit(shape, "");
    }

    private String implicit(WidgetShape shape, String attributes) {
        return widget(sitekey, shape.action(), shape.cData(), attributes + " data-callback=\"labDone\"");
    }

    private static String widget(String sitekey, String action, String cData, String attributes) {
        return "<form><div class=\"cf-turnstile\" data-sitekey=\"" + sitekey + "\" data-action=\"" + action
                + "\" data-cdata=\"" + cData + "\" " + attributes + "></div></form>";
    }

    private static String page(String title, String head, String body) {
        return page(title, head, body, true);
    }

    /** A page; with {@code implicitApi}, api.js in the head as Cloudflare's snippet has it. */
    private static String page(String title, String head, String body, boolean implicitApi) {
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>%s</title>
                <meta name="viewport" content="width=device-width,initial-scale=1">%s%s
                <script>window.labToken = null; function labDone(t) { window.labToken = t; }
                window.labExpiries = 0; function labExpired() { window.labExpiries++; }</script>
                </head><body>%s</body></html>"""
                .formatted(title, implicitApi ? "<script src=\"" + API + "\" async defer></script>" : "", head, body);
    }
}
