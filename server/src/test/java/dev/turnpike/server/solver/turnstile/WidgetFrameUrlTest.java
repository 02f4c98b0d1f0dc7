package dev.turnpike.server.solver.turnstile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The widget iframe URL shapes of LAB.md L1 and L4.11 (legacy path) tell the widget id, sitekey, theme and size. */
class WidgetFrameUrlTest {

    @Test
    void theCurrentPathNamesWidgetSitekeyThemeAndSize() {
        assertThat(WidgetFrameUrl.parse("https://challenges.cloudflare.com/cdn-cgi/challenge-platform/h/b/turnstile/f/av0/"
                + "rch/v1/ab1cd/0x4AAAAAAAkey/dark/fbE/new/compact?lang=auto"))
                .contains(new WidgetFrameUrl("ab1cd", "0x4AAAAAAAkey", "dark", "compact"));
    }

    @Test
    void theLegacyPathAndTheFedHostToo() {
        assertThat(WidgetFrameUrl.parse("https://challenges.fed.cloudflare.com/cdn-cgi/challenge-platform/h/g/turnstile/"
                + "if/ov2/av0/rcv/zz9yx/1x00000000000000000000AA/auto/fbE/new/normal"))
                .contains(new WidgetFrameUrl("zz9yx", "1x00000000000000000000AA", "auto", "normal"));
    }

    @Test
    void aSizeItDoesNotKnowIsLeftOut() {
        assertThat(WidgetFrameUrl.parse("https://challenges.cloudflare.com/cdn-cgi/challenge-platform/h/b/turnstile/f/av0/"
                + "rch/v1/ab1cd/0x4AAAAAAAkey/light/fbE/new/normalish?lang=auto"))
                .contains(new WidgetFrameUrl("ab1cd", "0x4AAAAAAAkey", "light", null));
    }

    @Test
    void otherFramesAreNotWidgets() {
        assertThat(WidgetFrameUrl.parse("https://shop.lab.test/cdn-cgi/challenge-platform/h/b/turnstile/f/av0/rch/v1/"
                + "ab1cd/0x4AAAAAAAkey/dark/fbE/new/normal")).isEmpty();
        assertThat(WidgetFrameUrl.parse("about:blank")).isEmpty();
        assertThat(WidgetFrameUrl.parse(null)).isEmpty();
    }
}
