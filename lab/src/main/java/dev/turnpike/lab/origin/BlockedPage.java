package dev.turnpike.lab.origin;

import java.util.Map;

/**
 * Cloudflare's "Sorry, you have been blocked" page, Error 1020 (LAB.md L3): a 403 without {@code cf-mitigated},
 * so a solver must report "blocked" rather than wait for a challenge to pass.
 */
final class BlockedPage {

    private BlockedPage() {
    }

    static OriginResponse render(OriginHost host, OriginRequest request, String ray) {
        String page = Templates.render("blocked-page.html", Map.of(
                "hostHtml", Templates.html(host.host()),
                "ray", ray,
                "ipHtml", Templates.html(request.clientIp())));
        return OriginResponse.status(403)
                .header("Server", CloudflareHeaders.SERVER)
                .header("cf-ray", CloudflareHeaders.rayHeader(ray))
                .header("Cache-Control", "private, max-age=0, no-store, no-cache, must-revalidate")
                .header("Referrer-Policy", "same-origin")
                .header("X-Frame-Options", "SAMEORIGIN")
                .html(page);
    }
}
