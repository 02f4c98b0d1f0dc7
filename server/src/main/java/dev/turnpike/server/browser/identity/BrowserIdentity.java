package dev.turnpike.server.browser.identity;

import dev.turnpike.server.browser.chromium.ChromiumInstallation;

/**
 * The desktop identity a pooled browser presents. The user agent is set with {@code --user-agent} at
 * launch, so every page, out-of-process iframe and worker presents the same string (a per-target
 * override misses workers); it is Chrome's reduced form ({@code Chrome/MAJOR.0.0.0}) of the real
 * version, without {@code HeadlessChrome}. The client hints ({@code Sec-CH-UA},
 * {@code navigator.userAgentData}) stay Chromium's own, which already name {@code Chromium} and the same
 * major version, so the two agree.
 *
 * @param userAgent the exact string sent and returned to clients
 * @param major     the Chromium major version both the UA and the client hints carry
 */
public record BrowserIdentity(String userAgent, int major) {

    /** The platform part of a Linux desktop Chrome. */
    public static final String LINUX_PLATFORM = "X11; Linux x86_64";

    public static BrowserIdentity of(ChromiumInstallation installation) {
        int major = installation.major();
        return new BrowserIdentity("Mozilla/5.0 (" + LINUX_PLATFORM + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/"
                + major + ".0.0.0 Safari/537.36", major);
    }
}
