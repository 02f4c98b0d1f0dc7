package dev.turnpike.server.browser.pool;

/** What a browser context's pages may reach without its relay: fixed by Chromium when the context is made. */
enum ContextKind {

    /**
     * For a task without a proxy. Cloudflare's challenge host (the widget's script, its iframe, its proof of work and
     * its answers: nearly all of a fast-mode task's traffic) is reached directly — a fixed public destination the
     * client does not choose, so there is nothing for the address policy to refuse, and on a busy machine the relay's
     * extra hop cost the 95th percentile of eight concurrent solves about a second ({@code bench/run turnstile}).
     * Everything else, the task's own {@code websiteURL} first, goes through the relay and its address policy.
     */
    DIRECT("<-loopback>;https://challenges.cloudflare.com"),

    /** For a task with a proxy: every connection through the relay, so through the task's proxy. */
    PROXIED("<-loopback>");

    /**
     * Chromium's bypass rules for the context's proxy. {@code <-loopback>} removes Chromium's implicit bypass of
     * loopback addresses: a page cannot reach this machine except through the relay, which checks loopback too.
     */
    final String proxyBypassList;

    ContextKind(String proxyBypassList) {
        this.proxyBypassList = proxyBypassList;
    }
}
