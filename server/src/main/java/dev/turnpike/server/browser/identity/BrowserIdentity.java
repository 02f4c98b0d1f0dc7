package dev.turnpike.server.browser.identity;

/**
 * The desktop identity a pooled browser presents. The user agent is set with {@code --user-agent} at
 * launch, so every page, out-of-process iframe and worker presents the same string; it is Chrome's reduced
 * form ({@code Chrome/MAJOR.0.0.0}) of the real version, without {@code HeadlessChrome}. The client hints
 * ({@code Sec-CH-UA}, {@code navigator.userAgentData}) stay Chromium's own, which already name
 * {@code Chromium} and the same major version, so the two agree. A task may want another user agent: see
 * {@link WantedUserAgent} for when it is presented instead.
 *
 * @param userAgent         the exact string sent and returned to clients
 * @param major             the Chromium major version both the UA and the client hints carry
 * @param fullVersion       the Chromium build, e.g. {@code 156.0.8078.79}
 * @param navigatorPlatform what {@code navigator.platform} says in workers, where no override reaches it
 *                          (measured in Chromium 156): {@code Linux x86_64} on an x86-64 host
 */
public record BrowserIdentity(String userAgent, int major, String fullVersion, String navigatorPlatform) {

    /** The platform part of a Linux desktop Chrome. */
    public static final String LINUX_PLATFORM = "X11; Linux x86_64";

    /** The identity of a Chromium of this major version and build ({@code ChromiumInstallation.identity()}). */
    public static BrowserIdentity of(int major, String fullVersion) {
        String arch = System.getProperty("os.arch");
        return new BrowserIdentity("Mozilla/5.0 (" + LINUX_PLATFORM + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/"
                + major + ".0.0.0 Safari/537.36", major, fullVersion,
                "Linux " + ("amd64".equals(arch) ? "x86_64" : arch));
    }
}
