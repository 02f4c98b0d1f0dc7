package dev.turnpike.server.browser.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which wanted user agents a Chromium 156 on x86-64 Linux presents, and the override it makes for them. */
class WantedUserAgentTest {

    static final BrowserIdentity BROWSER = new BrowserIdentity(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
            156, "156.0.8078.79", "Linux x86_64");
    static final String LINUX_156_BUILD =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.8078.79 Safari/537.36";

    @Test
    void aLinuxDesktopChromeOfTheBrowsersMajorIsPresentedWithTheBrowsersClientHints() {
        UserAgentOverride o = WantedUserAgent.decide(LINUX_156_BUILD, BROWSER).orElseThrow();

        assertThat(o.userAgent()).isEqualTo(LINUX_156_BUILD);
        assertThat(o.platform()).isEqualTo("Linux x86_64");
        assertThat(o.acceptLanguage()).isEqualTo("en-US,en");
        UserAgentOverride.Metadata m = o.metadata();
        // What Chromium 156 itself sends: Sec-CH-UA: "Not:A-Brand";v="8", "Chromium";v="156" (measured).
        assertThat(m.brands()).containsExactly(new UserAgentOverride.Brand("Not:A-Brand", "8"),
                new UserAgentOverride.Brand("Chromium", "156"));
        assertThat(m.fullVersionList()).containsExactly(new UserAgentOverride.Brand("Not:A-Brand", "8.0.0.0"),
                new UserAgentOverride.Brand("Chromium", "156.0.8078.79"));
        assertThat(m.fullVersion()).isEqualTo("156.0.8078.79");
        assertThat(m.platform()).isEqualTo("Linux");
        assertThat(m.architecture()).isEqualTo("x86");
        assertThat(m.bitness()).isEqualTo("64");
        assertThat(m.model()).isEmpty();
        assertThat(m.mobile()).isFalse();
    }

    @Test
    void anotherBuildOfTheSameMajorCarriesThatBuildInTheFullHints() {
        String other = LINUX_156_BUILD.replace("156.0.8078.79", "156.0.8001.3");

        UserAgentOverride o = WantedUserAgent.decide(other, BROWSER).orElseThrow();

        assertThat(o.metadata().fullVersion()).isEqualTo("156.0.8001.3");
        assertThat(o.metadata().fullVersionList()).contains(new UserAgentOverride.Brand("Chromium", "156.0.8001.3"));
    }

    @Test
    void aReducedVersionNamesNoBuildSoTheBrowsersRealOneIsReported() {
        String reduced = LINUX_156_BUILD.replace("156.0.8078.79", "156.0.0.0");
        BrowserIdentity otherOwn = new BrowserIdentity("Mozilla/5.0 (X11; Linux x86_64) something else", 156,
                "156.0.8078.79", "Linux x86_64");

        UserAgentOverride o = WantedUserAgent.decide(reduced, otherOwn).orElseThrow();

        assertThat(o.metadata().fullVersion()).isEqualTo("156.0.8078.79");
    }

    @Test
    void noneWantedOrTheBrowsersOwnNeedsNoOverride() {
        assertThat(WantedUserAgent.decide(null, BROWSER)).isEmpty();
        assertThat(WantedUserAgent.decide("  ", BROWSER)).isEmpty();
        assertThat(WantedUserAgent.decide(BROWSER.userAgent(), BROWSER)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // another engine
            "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
            // Chromium with another brand list (Edge, Opera) or mobile or headless
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 Edg/156.0.0.0",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 OPR/120.0.0.0",
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36",
            // another major: other JS features, other TLS fingerprint
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/155.0.0.0 Safari/537.36",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/1560.0.0.0 Safari/537.36",
            // another platform: a worker's navigator.platform would still say Linux x86_64
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
            "Mozilla/5.0 (X11; Linux aarch64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
            "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
            // not the form Chrome sends
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156 Safari/537.36",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36\r\nX: y",
            "curl/8.5.0"})
    void aUserAgentThatCannotBePresentedConsistentlyIsNotHonoured(String wanted) {
        assertThat(WantedUserAgent.decide(wanted, BROWSER)).isEmpty();
    }

    @Test
    void onAnArmHostAnArmLinuxChromeIsPresentedAndAnX86OneIsNot() {
        BrowserIdentity arm = new BrowserIdentity(BROWSER.userAgent(), 156, "156.0.8078.79", "Linux aarch64");

        UserAgentOverride o = WantedUserAgent.decide(LINUX_156_BUILD.replace("x86_64", "aarch64"), arm).orElseThrow();

        assertThat(o.platform()).isEqualTo("Linux aarch64");
        assertThat(o.metadata().architecture()).isEqualTo("arm");
        assertThat(WantedUserAgent.decide(LINUX_156_BUILD, arm)).isEmpty();
    }
}
