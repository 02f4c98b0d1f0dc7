package dev.turnpike.server.browser.identity;

import java.util.List;

/**
 * A user agent one task's context presents instead of the browser's own: what
 * {@code Emulation.setUserAgentOverride} / {@code Network.setUserAgentOverride} take. Made only by
 * {@link WantedUserAgent}, which checks it is consistent with the engine underneath.
 *
 * @param userAgent      the {@code User-Agent} header and {@code navigator.userAgent}
 * @param acceptLanguage the browser's own ({@code --accept-lang}), or the languages of the context's exit country
 * @param platform       {@code navigator.platform}, e.g. {@code Win32}
 * @param metadata       the client hints ({@code Sec-CH-UA*}, {@code navigator.userAgentData})
 */
public record UserAgentOverride(String userAgent, String acceptLanguage, String platform, Metadata metadata) {

    /** The same with another {@code Accept-Language} (and {@code navigator.languages}), e.g. an exit country's. */
    public UserAgentOverride withAcceptLanguage(String languages) {
        return new UserAgentOverride(userAgent, languages, platform, metadata);
    }

    /** One entry of {@code brands} / {@code fullVersionList}. */
    public record Brand(String brand, String version) {
    }

    /** {@code Emulation.UserAgentMetadata}. */
    public record Metadata(List<Brand> brands, List<Brand> fullVersionList, String fullVersion, String platform,
                           String platformVersion, String architecture, String bitness, String model,
                           boolean mobile) {
    }
}
