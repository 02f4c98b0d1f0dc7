package dev.turnpike.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.server.net.ProxySpec.Scheme;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ProxyParserTest {

    @Test
    void separateFieldsWithNumericPort() {
        assertThat(ProxyParser.fromFields("socks5", "203.0.113.5", "1080", "u", "p"))
                .isEqualTo(new ProxySpec(Scheme.SOCKS5, "203.0.113.5", 1080, "u", "p"));
    }

    @Test
    void separateFieldsWithoutCredentials() {
        assertThat(ProxyParser.fromFields("HTTP", "proxy.example", "8080", null, ""))
                .isEqualTo(new ProxySpec(Scheme.HTTP, "proxy.example", 8080, null, null));
    }

    @Test
    void separateFieldsNeedLoginAndPasswordTogether() {
        assertThatThrownBy(() -> ProxyParser.fromFields("http", "proxy.example", "8080", "u", null))
                .hasMessageContaining("together");
    }

    @Test
    void separateFieldsRefuseUnknownType() {
        assertThatThrownBy(() -> ProxyParser.fromFields("ftp", "proxy.example", "21", null, null))
                .hasMessageContaining("proxy type");
    }

    @Test
    void urlWithCredentials() {
        assertThat(ProxyParser.parse("http://user:pass@203.0.113.5:3128"))
                .isEqualTo(new ProxySpec(Scheme.HTTP, "203.0.113.5", 3128, "user", "pass"));
    }

    @Test
    void urlWithPercentEncodedPasswordAndTrailingSlash() {
        assertThat(ProxyParser.parse("socks5://us%40er:p%3Ass@proxy.example:1080/"))
                .isEqualTo(new ProxySpec(Scheme.SOCKS5, "proxy.example", 1080, "us@er", "p:ss"));
    }

    @Test
    void urlWithoutCredentials() {
        assertThat(ProxyParser.parse("https://proxy.example:443"))
                .isEqualTo(new ProxySpec(Scheme.HTTPS, "proxy.example", 443, null, null));
    }

    @Test
    void urlWithBracketedIpv6() {
        assertThat(ProxyParser.parse("socks4://[2001:db8::1]:1080"))
                .isEqualTo(new ProxySpec(Scheme.SOCKS4, "2001:db8::1", 1080, null, null));
    }

    @Test
    void userPassAtHostPortIsHttp() {
        assertThat(ProxyParser.parse("user:pass@proxy.example:8000"))
                .isEqualTo(new ProxySpec(Scheme.HTTP, "proxy.example", 8000, "user", "pass"));
    }

    @Test
    void passwordMayContainAnAt() {
        assertThat(ProxyParser.parse("user:p@ss@proxy.example:8000").password()).isEqualTo("p@ss");
    }

    @Test
    void colonHostPort() {
        assertThat(ProxyParser.parse("203.0.113.5:8080"))
                .isEqualTo(new ProxySpec(Scheme.HTTP, "203.0.113.5", 8080, null, null));
    }

    @Test
    void colonHostPortUserPass() {
        assertThat(ProxyParser.parse("203.0.113.5:8080:user:pass"))
                .isEqualTo(new ProxySpec(Scheme.HTTP, "203.0.113.5", 8080, "user", "pass"));
    }

    @Test
    void colonSchemeHostPortUserPass() {
        assertThat(ProxyParser.parse("socks5:proxy.example:1080:user:pass"))
                .isEqualTo(new ProxySpec(Scheme.SOCKS5, "proxy.example", 1080, "user", "pass"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "proxy.example", "proxy.example:0", "proxy.example:65536", "proxy.example:http",
            "ftp://proxy.example:21", "http://proxy.example", "http://user@proxy.example:80", "http://:pass@proxy.example:80",
            "a:b:c", "host:1:user", "a:b:c:d:e:f", "socks5:host:1080:user:", "bad host:80", "http://proxy.example:80/path",
            "http://2001:db8::1:80", "user:pass@:80"})
    void malformedProxiesAreRefused(String text) {
        assertThatThrownBy(() -> ProxyParser.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorsNeverContainThePassword() {
        assertThatThrownBy(() -> ProxyParser.parse("http://user:secret-pw@proxy.example:99999"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-pw"));
        assertThat(ProxyParser.parse("http://user:secret-pw@proxy.example:80").toString()).doesNotContain("secret-pw");
    }
}
