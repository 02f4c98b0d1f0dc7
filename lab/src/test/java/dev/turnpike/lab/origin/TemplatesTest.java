package dev.turnpike.lab.origin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the challenge page puts into its inline script and markup cannot break out of them. */
class TemplatesTest {

    @Test
    void jsStringCannotCloseTheInlineScript() {
        assertThat(Templates.jsString("/a?q=</script><script>alert(1)</script>\"'\\"))
                .isEqualTo("\"\\/a?q=\\u003c\\/script\\u003e\\u003cscript\\u003ealert(1)\\u003c\\/script\\u003e\\\"'\\\\\"");
    }

    @Test
    void jsStringEscapesSlashesAsCloudflareDoes() {
        assertThat(Templates.jsString("/path?x=1&__cf_chl_f_tk=abc")).isEqualTo("\"\\/path?x=1&__cf_chl_f_tk=abc\"");
    }

    @Test
    void htmlEscapesMarkupAndQuotes() {
        assertThat(Templates.html("<a href=\"x\">'&")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;");
    }
}
