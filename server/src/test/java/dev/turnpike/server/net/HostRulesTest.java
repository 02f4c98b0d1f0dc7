package dev.turnpike.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.server.net.HostRules.Mapped;
import dev.turnpike.server.net.HostRules.NotFound;
import dev.turnpike.server.net.HostRules.Unmapped;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The relay applies Chromium's --host-resolver-rules itself: same grammar, same meaning as Chromium's. */
class HostRulesTest {

    @Test
    void mapToHostAndPortReplacesBoth() {
        HostRules rules = HostRules.parse("MAP site.test 127.0.0.1:4443");
        assertThat(rules.apply("site.test", 443)).isEqualTo(new Mapped("127.0.0.1", 4443));
    }

    @Test
    void mapToHostAloneKeepsTheAskedPort() {
        HostRules rules = HostRules.parse("MAP site.test 127.0.0.1");
        assertThat(rules.apply("site.test", 443)).isEqualTo(new Mapped("127.0.0.1", 443));
        assertThat(rules.apply("site.test", 80)).isEqualTo(new Mapped("127.0.0.1", 80));
    }

    @Test
    void notFoundMakesTheNameUnresolvable() {
        HostRules rules = HostRules.parse("MAP * ^NOTFOUND");
        assertThat(rules.apply("anything.example", 443)).isEqualTo(new NotFound());
    }

    @Test
    void aNameNoRuleMatchesIsLeftAlone() {
        HostRules rules = HostRules.parse("MAP site.test 127.0.0.1");
        assertThat(rules.apply("other.test", 443)).isEqualTo(new Unmapped());
        // A pattern matches the whole name, not a part of it.
        assertThat(rules.apply("www.site.test", 443)).isEqualTo(new Unmapped());
        assertThat(rules.apply("site.test.evil", 443)).isEqualTo(new Unmapped());
    }

    @Test
    void starMatchesAnyRunAndQuestionMarkExactlyOneCharacter() {
        HostRules rules = HostRules.parse("MAP *.lab.test 127.0.0.1:1, MAP node?.test 127.0.0.1:2");
        assertThat(rules.apply("a.lab.test", 443)).isEqualTo(new Mapped("127.0.0.1", 1));
        assertThat(rules.apply("a.b.lab.test", 443)).isEqualTo(new Mapped("127.0.0.1", 1));
        assertThat(rules.apply("lab.test", 443)).as("*. needs the dot").isEqualTo(new Unmapped());
        assertThat(rules.apply("node1.test", 443)).isEqualTo(new Mapped("127.0.0.1", 2));
        assertThat(rules.apply("node.test", 443)).as("? is one character, not none").isEqualTo(new Unmapped());
        assertThat(rules.apply("node12.test", 443)).as("? is one character, not two").isEqualTo(new Unmapped());
    }

    @Test
    void patternCharactersOtherThanGlobsAreLiteral() {
        // The dot is not a regex wildcard: "site.test" must not catch "siteXtest".
        HostRules rules = HostRules.parse("MAP site.test 127.0.0.1");
        assertThat(rules.apply("siteXtest", 443)).isEqualTo(new Unmapped());
    }

    @Test
    void matchingIgnoresCase() {
        HostRules rules = HostRules.parse("map *.LAB.Test 127.0.0.1:8443");
        assertThat(rules.apply("Site.lab.TEST", 443)).isEqualTo(new Mapped("127.0.0.1", 8443));
    }

    @Test
    void aHostAndPortPatternMatchesOnlyThatPort() {
        HostRules rules = HostRules.parse("MAP site.test:443 127.0.0.1:4443, MAP *:8080 127.0.0.1:1");
        assertThat(rules.apply("site.test", 443)).isEqualTo(new Mapped("127.0.0.1", 4443));
        assertThat(rules.apply("site.test", 80)).isEqualTo(new Unmapped());
        assertThat(rules.apply("other.test", 8080)).isEqualTo(new Mapped("127.0.0.1", 1));
    }

    @Test
    void anIpv6HostIsMatchedBracketedWithItsPort() {
        HostRules rules = HostRules.parse("MAP [2001:db8::1]:443 127.0.0.1:4443");
        assertThat(rules.apply("2001:db8::1", 443)).isEqualTo(new Mapped("127.0.0.1", 4443));
        assertThat(rules.apply("2001:db8::1", 80)).isEqualTo(new Unmapped());
    }

    @ParameterizedTest
    @ValueSource(strings = {"EXCLUDE keep.test, MAP * 127.0.0.1", "MAP * 127.0.0.1, EXCLUDE keep.test"})
    void excludeWinsWhereverItStands(String text) {
        HostRules rules = HostRules.parse(text);
        assertThat(rules.apply("keep.test", 443)).isEqualTo(new Unmapped());
        assertThat(rules.apply("other.test", 443)).isEqualTo(new Mapped("127.0.0.1", 443));
    }

    @Test
    void excludeAlsoBeatsNotFound() {
        // How ChromiumFlags keeps the relays reachable under "MAP * ^NOTFOUND".
        HostRules rules = HostRules.parse("MAP * ^NOTFOUND, EXCLUDE 127.0.0.1");
        assertThat(rules.apply("127.0.0.1", 40000)).isEqualTo(new Unmapped());
        assertThat(rules.apply("site.test", 443)).isEqualTo(new NotFound());
    }

    @Test
    void theFirstMatchingMapWins() {
        HostRules rules = HostRules.parse("MAP a.test 127.0.0.1:1, MAP *.test 127.0.0.1:2, MAP a.test 127.0.0.1:3");
        assertThat(rules.apply("a.test", 443)).isEqualTo(new Mapped("127.0.0.1", 1));
        assertThat(rules.apply("b.test", 443)).isEqualTo(new Mapped("127.0.0.1", 2));
    }

    @Test
    void anIpv6ReplacementIsBracketedAndComesOutBare() {
        assertThat(HostRules.parse("MAP v6.test [::1]:8443").apply("v6.test", 443)).isEqualTo(new Mapped("::1", 8443));
        assertThat(HostRules.parse("MAP v6.test [::1]").apply("v6.test", 443)).as("the port is kept")
                .isEqualTo(new Mapped("::1", 443));
        assertThat(HostRules.parse("MAP v6.test [2001:DB8::5]:1").apply("v6.test", 443))
                .isEqualTo(new Mapped("2001:db8::5", 1));
    }

    @Test
    void fromChromiumArgsObeysTheLastFlagAsChromiumDoes() {
        HostRules rules = HostRules.fromChromiumArgs(List.of("--host-resolver-rules=MAP * 127.0.0.1:1",
                "--headless=new", "--host-resolver-rules=MAP site.test 127.0.0.1:2"));
        assertThat(rules.apply("site.test", 443)).isEqualTo(new Mapped("127.0.0.1", 2));
        assertThat(rules.apply("other.test", 443)).as("the first flag is overridden, not merged")
                .isEqualTo(new Unmapped());
    }

    @Test
    void fromChromiumArgsStripsTheQuotesAroundTheRules() {
        HostRules rules = HostRules.fromChromiumArgs(
                List.of("--host-resolver-rules=\"MAP site.test 127.0.0.1:2, EXCLUDE keep.test\""));
        assertThat(rules.apply("site.test", 443)).isEqualTo(new Mapped("127.0.0.1", 2));
        assertThat(rules.apply("keep.test", 443)).isEqualTo(new Unmapped());
    }

    @Test
    void noFlagMeansNoRules() {
        HostRules rules = HostRules.fromChromiumArgs(List.of("--headless=new", "--host-rules=MAP * 127.0.0.1"));
        assertThat(rules.apply("site.test", 443)).as("--host-rules is another flag").isEqualTo(new Unmapped());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", " , ,"})
    void emptyTextMeansNoRules(String text) {
        assertThat(HostRules.parse(text).apply("site.test", 443)).isEqualTo(new Unmapped());
        assertThat(HostRules.none().apply("site.test", 443)).isEqualTo(new Unmapped());
    }

    @ParameterizedTest
    @ValueSource(strings = {"MAP site.test", "MAP site.test 127.0.0.1 extra", "EXCLUDE", "EXCLUDE a.test b.test",
            "REDIRECT site.test 127.0.0.1", "MAP site.test 127.0.0.1:0", "MAP site.test 127.0.0.1:65536",
            "MAP site.test 127.0.0.1:https", "MAP site.test :443", "MAP site.test []:443"})
    void parseRejectsAMalformedRuleAndNamesIt(String rule) {
        assertThatThrownBy(() -> HostRules.parse("MAP fine.test 127.0.0.1, " + rule))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(rule);
    }
}
