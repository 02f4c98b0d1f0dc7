package dev.turnpike.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.server.net.AddressPolicy.Verdict;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The checks only resolve, with a fake resolver: no test here opens a connection or asks DNS. */
class AddressPolicyTest {

    private final List<String> resolved = new ArrayList<>();
    private final HostResolver resolver = host -> {
        resolved.add(host);
        List<String> addresses = Map.of(
                "public.example", List.of("203.0.113.1"),
                "private.test", List.of("10.1.2.3"),
                "mixed.test", List.of("203.0.113.7", "192.168.1.1"),
                "v6.test", List.of("2001:db8::5", "fe80::1")).get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        List<InetAddress> out = new ArrayList<>();
        for (String a : addresses) {
            out.add(InetAddress.getByName(a));
        }
        return out;
    };

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, REFUSED_LOOPBACK", "127.8.9.10, REFUSED_LOOPBACK", "::1, REFUSED_LOOPBACK", "[::1], REFUSED_LOOPBACK",
            "10.0.0.1, REFUSED_PRIVATE", "172.16.0.1, REFUSED_PRIVATE", "172.31.255.255, REFUSED_PRIVATE",
            "192.168.0.1, REFUSED_PRIVATE", "fd00::1, REFUSED_PRIVATE", "fc00::1, REFUSED_PRIVATE",
            "169.254.1.1, REFUSED_LINK_LOCAL", "fe80::1, REFUSED_LINK_LOCAL",
            "169.254.169.254, REFUSED_METADATA", "fd00:ec2::254, REFUSED_METADATA", "metadata.google.internal, REFUSED_METADATA",
            "100.64.0.1, REFUSED_SHARED", "100.127.255.255, REFUSED_SHARED",
            "224.0.0.1, REFUSED_MULTICAST", "ff02::1, REFUSED_MULTICAST",
            "0.0.0.0, REFUSED_UNSPECIFIED", "::, REFUSED_UNSPECIFIED",
            "::ffff:10.0.0.1, REFUSED_PRIVATE", "::ffff:127.0.0.1, REFUSED_LOOPBACK",
            "172.32.0.1, ALLOWED_PUBLIC", "100.128.0.1, ALLOWED_PUBLIC", "8.8.8.8, ALLOWED_PUBLIC", "2001:db8::1, ALLOWED_PUBLIC",
            "public.example, ALLOWED_PUBLIC", "private.test, REFUSED_PRIVATE", "PRIVATE.test., REFUSED_PRIVATE",
            "nowhere.test, REFUSED_UNRESOLVABLE", "'bad host', REFUSED_MALFORMED"})
    void classifiesEveryKindOfAddress(String host, Verdict expected) {
        assertThat(AddressPolicy.strict(resolver).check(host).verdict()).isEqualTo(expected);
    }

    @Test
    void aNameIsRefusedWhenAnyOfItsAddressesIs() {
        AddressPolicy.Decision d = AddressPolicy.strict(resolver).check("mixed.test");
        assertThat(d.verdict()).isEqualTo(Verdict.REFUSED_PRIVATE);
        assertThat(d.explanation()).isEqualTo("address 192.168.1.1 is private");
        assertThat(AddressPolicy.strict(resolver).check("v6.test").verdict()).isEqualTo(Verdict.REFUSED_LINK_LOCAL);
    }

    @Test
    void allowedNamesAreNotEvenResolved() {
        AddressPolicy policy = new AddressPolicy(resolver, List.of("*.lab.test", "exact.internal"), List.of());
        assertThat(policy.check("site.lab.test").verdict()).isEqualTo(Verdict.ALLOWED_BY_NAME);
        assertThat(policy.check("a.b.LAB.test").verdict()).isEqualTo(Verdict.ALLOWED_BY_NAME);
        assertThat(policy.check("exact.internal").verdict()).isEqualTo(Verdict.ALLOWED_BY_NAME);
        assertThat(resolved).isEmpty();
        assertThat(policy.check("lab.test").verdict()).isEqualTo(Verdict.REFUSED_UNRESOLVABLE);
        assertThat(policy.check("notlab.test").verdict()).isEqualTo(Verdict.REFUSED_UNRESOLVABLE);
    }

    @Test
    void allowedNetworksLetPrivateAddressesThrough() {
        AddressPolicy policy = new AddressPolicy(resolver, List.of(), List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("10.1.0.0/16")));
        assertThat(policy.check("127.0.0.1").verdict()).isEqualTo(Verdict.ALLOWED_BY_NETWORK);
        assertThat(policy.check("private.test").verdict()).isEqualTo(Verdict.ALLOWED_BY_NETWORK);
        assertThat(policy.check("10.2.0.1").verdict()).isEqualTo(Verdict.REFUSED_PRIVATE);
        assertThat(policy.check("169.254.169.254").verdict()).isEqualTo(Verdict.REFUSED_METADATA);
    }

    @Test
    void literalsAreNeverResolved() {
        AddressPolicy.strict(resolver).check("10.0.0.1");
        AddressPolicy.strict(resolver).check("[fe80::1]");
        assertThat(resolved).isEmpty();
    }

    @Test
    void cidrParsesAndRefusesNonsense() {
        assertThat(Cidr.parse("10.0.0.0/8").contains(addr("10.255.0.1"))).isTrue();
        assertThat(Cidr.parse("172.16.0.0/12").contains(addr("172.32.0.1"))).isFalse();
        assertThat(Cidr.parse("fc00::/7").contains(addr("fdff::1"))).isTrue();
        for (String bad : List.of("10.0.0.0/33", "example.com/8", "10.0.0/8", "300.0.0.0/8", "10.0.0.0/x")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Cidr.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static InetAddress addr(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
