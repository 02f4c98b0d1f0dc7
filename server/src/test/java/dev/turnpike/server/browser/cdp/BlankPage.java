package dev.turnpike.server.browser.cdp;

/**
 * A blank page in a browser context of its own, attached with a flat session: what tests that drive Chromium
 * directly start from.
 */
public record BlankPage(String contextId, String targetId, CdpSession page) {

    public static BlankPage open(CdpConnection cdp) throws InterruptedException {
        CdpSession browser = cdp.browser();
        String context = browser.call("Target.createBrowserContext", null).path("browserContextId").asText();
        String target = browser.call("Target.createTarget", browser.params().put("url", "about:blank")
                .put("browserContextId", context)).path("targetId").asText();
        CdpSession page = cdp.session(browser.call("Target.attachToTarget",
                browser.params().put("targetId", target).put("flatten", true)).path("sessionId").asText());
        return new BlankPage(context, target, page);
    }

    /** Disposes the page's browser context. */
    public void dispose(CdpConnection cdp) throws InterruptedException {
        CdpSession browser = cdp.browser();
        browser.call("Target.disposeBrowserContext", browser.params().put("browserContextId", contextId));
    }
}
