package dev.turnpike.server.browser.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.server.browser.proxy.DirectRoute.Destination;
import dev.turnpike.server.browser.proxy.DirectRoute.Dial;
import dev.turnpike.server.browser.proxy.DirectRoute.Refused;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.AddressPolicy.Verdict;
import dev.turnpike.server.net.HostResolver;
import dev.turnpike.server.net.HostRules;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a proxyless target resolves to, decided without connecting. The resolver is a fake that counts its calls:
 * nothing here asks DNS, and the documentation addresses (203.0.113.0/24, 198.51.100.0/24) are only values.
 */
class DirectRouteTest {

    /** Every name the fake resolver was asked, in order. */
    private final List<String> asked = new ArrayList<>();

    private final HostResolver resolver = counting(Map.of(
            "public.example", List.of("203.0.113.7", "198.51.100.23"),
            "private.test", List.of("10.1.2.3"),
            "loopback.test", List.of("127.0.0.1"),
            "mixed.test", List.of("203.0.113.7", "192.168.1.1"),
            "v6.test", List.of("2001:db8::5", "::1")));

    @Test
    void aPublicNameIsDialledAtExactlyTheAddressesItResolvedTo() {
        Destination destination = strict().resolve("public.example", 443);
        assertThat(destination).isEqualTo(new Dial(List.of(at("203.0.113.7", 443), at("198.51.100.23", 443))));
        assertThat(asked).containsExactly("public.example");
    }

    @ParameterizedTest
    @CsvSource({"private.test, REFUSED_PRIVATE, 10.1.2.3", "loopback.test, REFUSED_LOOPBACK, 127.0.0.1",
            "mixed.test, REFUSED_PRIVATE, 192.168.1.1", "v6.test, REFUSED_LOOPBACK, ::1"})
    void aNameWithAnyNonPublicAddressIsRefusedWithTheAddressThatDecided(String host, Verdict verdict, String address) {
        Refusal refusal = refusalOf(strict().resolve(host, 443));
        assertThat(refusal.host()).isEqualTo(host);
        assertThat(refusal.port()).isEqualTo(443);
        assertThat(refusal.decision().verdict()).isEqualTo(verdict);
        assertThat(refusal.decision().address()).isEqualTo(address(address));
    }

    private static boolean needsLookup(DirectRoute route, String host, int port) {
        return route.decide(host, port) instanceof DirectRoute.Lookup;
    }

    @Test
    void onlyATargetWhoseDecisionAsksTheResolverNeedsALookup() {
        // The relay decides the others on its I/O thread, with no hop to a thread that may block.
        DirectRoute route = new DirectRoute(allowing("site.test"), HostRules.parse(
                "MAP site.test 127.0.0.1:4443, MAP alias.test public.example, MAP gone.test ^NOTFOUND"));
        assertThat(needsLookup(route, "public.example", 443)).isTrue();
        assertThat(needsLookup(route, "alias.test", 443)).as("mapped to a name").isTrue();
        assertThat(needsLookup(route, "site.test", 443)).as("mapped to a literal").isFalse();
        assertThat(needsLookup(route, "gone.test", 443)).as("unresolvable by rule").isFalse();
        assertThat(needsLookup(route, "203.0.113.7", 443)).as("a literal").isFalse();
        assertThat(needsLookup(route, "metadata.google.internal", 80)).as("refused by name").isFalse();
        assertThat(asked).as("asking decides nothing and resolves nothing").isEmpty();
    }

    @Test
    void aMappedNameAllowedByNameDialsTheMappedAddressAndPort() {
        DirectRoute route = new DirectRoute(allowing("site.test"), HostRules.parse("MAP site.test 127.0.0.1:4443"));
        assertThat(route.resolve("site.test", 443)).isEqualTo(new Dial(List.of(at("127.0.0.1", 4443))));
        assertThat(asked).as("an address literal needs no lookup").isEmpty();
    }

    @Test
    void aMappedNameNotAllowedByNameIsJudgedByTheAddressItIsMappedTo() {
        // A host rule is not a way around the policy: the mapped address is checked like a resolved one.
        DirectRoute route = new DirectRoute(strict().policy(), HostRules.parse("MAP site.test 127.0.0.1:4443"));
        Refusal refusal = refusalOf(route.resolve("site.test", 443));
        assertThat(refusal.decision().verdict()).isEqualTo(Verdict.REFUSED_LOOPBACK);
        assertThat(refusal).as("the refusal names what the page asked for")
                .isEqualTo(new Refusal("site.test", 443, refusal.decision()));
    }

    @Test
    void aNameMappedToAnotherNameResolvesThatName() {
        DirectRoute route = new DirectRoute(strict().policy(), HostRules.parse("MAP alias.test public.example:8443"));
        assertThat(route.resolve("alias.test", 443))
                .isEqualTo(new Dial(List.of(at("203.0.113.7", 8443), at("198.51.100.23", 8443))));
        assertThat(asked).containsExactly("public.example");
    }

    @Test
    void notFoundIsUnresolvableWithoutAskingTheResolver() {
        DirectRoute route = new DirectRoute(allowing("site.test"), HostRules.parse("MAP * ^NOTFOUND"));
        for (String host : List.of("public.example", "site.test")) {
            Refusal refusal = refusalOf(route.resolve(host, 443));
            assertThat(refusal.decision().verdict()).isEqualTo(Verdict.REFUSED_UNRESOLVABLE);
        }
        assertThat(asked).isEmpty();
    }

    @Test
    void aNameTheResolverDoesNotKnowIsUnresolvable() {
        assertThat(refusalOf(strict().resolve("nowhere.test", 443)).decision().verdict())
                .isEqualTo(Verdict.REFUSED_UNRESOLVABLE);
    }

    @Test
    void aMetadataNameIsRefusedWithoutResolvingIt() {
        for (String host : List.of("metadata.google.internal", "METADATA.google.internal.", "instance-data")) {
            assertThat(refusalOf(strict().resolve(host, 80)).decision().verdict()).as(host)
                    .isEqualTo(Verdict.REFUSED_METADATA);
        }
        assertThat(asked).isEmpty();
    }

    @Test
    void aMetadataNameIsRefusedEvenWhenAHostRuleWouldMapIt() {
        DirectRoute route = new DirectRoute(strict().policy(), HostRules.parse("MAP * 203.0.113.7"));
        assertThat(refusalOf(route.resolve("metadata.google.internal", 80)).decision().verdict())
                .isEqualTo(Verdict.REFUSED_METADATA);
    }

    @Test
    void aMalformedHostIsRefusedWithoutResolvingIt() {
        assertThat(refusalOf(strict().resolve("bad host", 443)).decision().verdict())
                .isEqualTo(Verdict.REFUSED_MALFORMED);
        assertThat(asked).isEmpty();
    }

    @Test
    void dnsRebindingIsClosedTheDialComesFromTheLookupThatWasJudged() {
        // Public to the first lookup, loopback to every later one: a second lookup anywhere between the check and
        // the dial would hand the dialler 127.0.0.1.
        List<String> rebindAsked = new ArrayList<>();
        HostResolver rebinding = host -> {
            rebindAsked.add(host);
            return List.of(address(rebindAsked.size() == 1 ? "203.0.113.7" : "127.0.0.1"));
        };
        // The policy holds the same resolver, as the product wires it: a check that resolved again would be seen.
        DirectRoute route = new DirectRoute(AddressPolicy.strict(rebinding), HostRules.none());

        Destination destination = route.resolve("rebind.example", 443);

        assertThat(rebindAsked).as("resolved once").containsExactly("rebind.example");
        assertThat(destination).isEqualTo(new Dial(List.of(at("203.0.113.7", 443))));
    }

    @Test
    void aLoopbackAnswerToTheOnlyLookupIsRefused() {
        // The mirror of the rebinding case: when the one lookup answers loopback, nothing is dialled.
        List<String> rebindAsked = new ArrayList<>();
        HostResolver rebinding = host -> {
            rebindAsked.add(host);
            return List.of(address(rebindAsked.size() == 1 ? "127.0.0.1" : "203.0.113.7"));
        };
        DirectRoute route = new DirectRoute(AddressPolicy.strict(rebinding), HostRules.none());
        assertThat(refusalOf(route.resolve("rebind.example", 443)).decision().verdict())
                .isEqualTo(Verdict.REFUSED_LOOPBACK);
        assertThat(rebindAsked).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"203.0.113.7, true", "10.0.0.1, false", "::1, false", "2001:db8::1, true"})
    void anAddressLiteralIsNeverSentToTheResolver(String literal, boolean allowed) {
        Destination destination = strict().resolve(literal, 443);
        assertThat(asked).isEmpty();
        if (allowed) {
            assertThat(destination).isEqualTo(new Dial(List.of(at(literal, 443))));
        } else {
            assertThat(destination).isInstanceOf(Refused.class);
        }
    }

    @Test
    void aNameAllowedByNameAndNotMappedIsDialledWhereverItResolves() {
        // Allowed by name means the operator vouches for the name: its addresses are not judged (AddressPolicy).
        DirectRoute route = new DirectRoute(allowing("private.test"), HostRules.none());
        assertThat(route.resolve("private.test", 443)).isEqualTo(new Dial(List.of(at("10.1.2.3", 443))));
        assertThat(asked).containsExactly("private.test");
    }

    private DirectRoute strict() {
        return new DirectRoute(AddressPolicy.strict(resolver), HostRules.none());
    }

    private AddressPolicy allowing(String... hosts) {
        return new AddressPolicy(resolver, List.of(hosts), List.of());
    }

    private HostResolver counting(Map<String, List<String>> names) {
        return host -> {
            asked.add(host);
            List<String> addresses = names.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            return addresses.stream().map(DirectRouteTest::address).toList();
        };
    }

    private static Refusal refusalOf(Destination destination) {
        assertThat(destination).isInstanceOf(Refused.class);
        return ((Refused) destination).refusal();
    }

    private static InetSocketAddress at(String literal, int port) {
        return new InetSocketAddress(address(literal), port);
    }

    /** A literal only: no lookup. */
    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
