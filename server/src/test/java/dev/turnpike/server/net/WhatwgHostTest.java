package dev.turnpike.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Hosts read as Chromium reads them (the WHATWG URL standard), each form Java's URI reads otherwise. */
class WhatwgHostTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "0177.0.0.1, 127.0.0.1",            // octal part
            "0x7f.1, 127.0.0.1",                // hex part, short form
            "0X7F.0.0.1, 127.0.0.1",            // upper-case hex prefix
            "2130706433, 127.0.0.1",            // one decimal number
            "0x7f000001, 127.0.0.1",            // one hex number
            "017700000001, 127.0.0.1",          // one octal number
            "127.1, 127.0.0.1",                 // short form
            "127.0.0.1., 127.0.0.1",            // trailing dot
            "0, 0.0.0.0",
            "0x, 0.0.0.0",                      // an empty hex number is 0
            "%31%32%37.0.0.1, 127.0.0.1",       // percent-encoded
            "0xa9.0xfe.0xa9.0xfe, 169.254.169.254",
            "10.0.0.1, 10.0.0.1"})
    void ipv4FormsAreReadAsTheAddressTheBrowserDials(String host, String address) {
        WhatwgHost parsed = WhatwgHost.parse(host);
        assertThat(parsed.text()).isEqualTo(address);
        assertThat(parsed.address().getHostAddress()).isEqualTo(address);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "[::ffff:127.0.0.1], 127.0.0.1",    // IPv4-mapped IPv6: judged as the IPv4 address it carries
            "[::FFFF:7F00:1], 127.0.0.1",
            "[::1], ::1",
            "[FD12::1], fd12::1"})
    void ipv6AddressesAreLiteralsAndMappedOnesTheirIpv4(String host, String text) {
        WhatwgHost parsed = WhatwgHost.parse(host);
        assertThat(parsed.text()).isEqualTo(text);
        assertThat(parsed.address()).isNotNull();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "LocalHost, localhost",                  // upper case
            "localhost., localhost.",                // trailing dot kept, as the browser keeps it
            "%6C%6F%63%61%6C%68%6F%73%74, localhost", // percent-encoded name
            "bücher.example, xn--bcher-kva.example", // IDN to punycode
            "BÜCHER.example, xn--bcher-kva.example",
            "xn--bcher-kva.example, xn--bcher-kva.example",
            "ｌｏｃａｌｈｏｓｔ, localhost",            // full-width letters map to ASCII
            "demo.lab.test, demo.lab.test",
            "1.2.3.example, 1.2.3.example"})         // ends in a name: not an address
    void namesAreLowerCaseAsciiAsTheBrowserSendsThem(String host, String text) {
        WhatwgHost parsed = WhatwgHost.parse(host);
        assertThat(parsed.text()).isEqualTo(text);
        assertThat(parsed.address()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.0.0.1", "1.2.3.4.5", "0x100000000", "1.256.0.0.", "09.0.0.1", "4294967296",
            "[::1", "[zz::1]", "a b.example", "a%2Fb.example", "%zz", "", "a..1"})
    void hostsTheBrowserRefusesAreRefused(String host) {
        assertThatThrownBy(() -> WhatwgHost.parse(host)).isInstanceOf(IllegalArgumentException.class);
    }
}
