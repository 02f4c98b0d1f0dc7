package dev.turnpike.server.browser.chromium;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.server.net.HostRules;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line only: nothing here starts a browser. */
class ChromiumFlagsTest {

    private static final Path PROFILE = Path.of("/tmp/turnpike-profile-test");
    private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0.0.0 Safari/537.36";

    @Test
    void hostRulesAlwaysExcludeTheRelaysAddress() {
        List<String> args = build(List.of("--host-resolver-rules=MAP * ^NOTFOUND"));
        assertThat(args).contains("--host-resolver-rules=MAP * ^NOTFOUND, EXCLUDE 127.0.0.1")
                .doesNotContain("--host-resolver-rules=MAP * ^NOTFOUND");
        // What that means to Chromium: the relay on 127.0.0.1 stays reachable, everything else is still mapped.
        HostRules rules = HostRules.fromChromiumArgs(args);
        assertThat(rules.apply("127.0.0.1", 40000)).isEqualTo(new HostRules.Unmapped());
        assertThat(rules.apply("site.test", 443)).isEqualTo(new HostRules.NotFound());
    }

    @Test
    void quotedHostRulesReachChromiumWithoutTheirQuotesAndWithTheExclusion() {
        // Chromium takes no quotes off (no shell runs in between): '"MAP' would be no rule at all.
        List<String> args = build(List.of("--host-resolver-rules=\"MAP * 127.0.0.1:8443\""));
        assertThat(args).contains("--host-resolver-rules=MAP * 127.0.0.1:8443, EXCLUDE 127.0.0.1");
        HostRules rules = HostRules.fromChromiumArgs(args);
        assertThat(rules.apply("127.0.0.1", 40000)).isEqualTo(new HostRules.Unmapped());
        assertThat(rules.apply("site.test", 443)).isEqualTo(new HostRules.Mapped("127.0.0.1", 8443));
    }

    @Test
    void everyHostRulesFlagIsExcludedNotOnlyTheLast() {
        List<String> args = build(List.of("--host-resolver-rules=MAP a.test 127.0.0.1:1",
                "--host-resolver-rules=MAP * ^NOTFOUND"));
        assertThat(args.stream().filter(a -> a.startsWith("--host-resolver-rules="))).containsExactly(
                "--host-resolver-rules=MAP a.test 127.0.0.1:1, EXCLUDE 127.0.0.1",
                "--host-resolver-rules=MAP * ^NOTFOUND, EXCLUDE 127.0.0.1");
    }

    @Test
    void noHostRulesFlagIsAddedWhenNoneWasGiven() {
        assertThat(build(List.of())).noneMatch(a -> a.startsWith("--host-resolver-rules="));
    }

    @Test
    void otherExtraFlagsAreKeptAsGivenAfterOursAndBeforeTheFirstPage() {
        List<String> extra = List.of("--host-rules=MAP * 127.0.0.1", "--ignore-certificate-errors-spki-list=abc=",
                "--lang=fr-FR");
        List<String> args = build(extra);
        // --host-rules is another flag: no exclusion is added to it.
        int userAgent = args.indexOf("--user-agent=" + UA);
        assertThat(args.subList(userAgent + 1, args.size())).containsExactly("--host-rules=MAP * 127.0.0.1",
                "--ignore-certificate-errors-spki-list=abc=", "--lang=fr-FR", "about:blank");
        // Ours come first, so the operator's --lang wins (Chromium keeps the last).
        assertThat(args.indexOf("--lang=en-US")).isLessThan(args.indexOf("--lang=fr-FR"));
    }

    @Test
    void severalDisableFeaturesAreMergedIntoOneFlag() {
        List<String> args = build(List.of("--disable-features=LocalNetworkAccessChecks",
                "--disable-features=FeatureA,FeatureB", ChromiumFlags.LAB_ON_LOOPBACK));
        // Chromium keeps only the last --disable-features: a second flag would turn ours back on.
        assertThat(args.stream().filter(a -> a.startsWith("--disable-features="))).containsExactly(
                "--disable-features=" + ChromiumFlags.DISABLED_FEATURES
                        + ",LocalNetworkAccessChecks,FeatureA,FeatureB,LocalNetworkAccessChecks");
    }

    @Test
    void theNetworkServiceRunsInTheBrowserProcessByDefault() {
        assertThat(build(List.of())).contains("--enable-features=NetworkServiceInProcess2");
    }

    @Test
    void theCallersEnableFeaturesAreMergedIntoOursInOneFlag() {
        List<String> args = build(List.of("--enable-features=FeatureA", "--enable-features=FeatureB,FeatureC"));
        // Chromium keeps only the last --enable-features: a second flag would turn ours off.
        assertThat(args.stream().filter(a -> a.startsWith("--enable-features="))).containsExactly(
                "--enable-features=NetworkServiceInProcess2,FeatureA,FeatureB,FeatureC");
    }

    @Test
    void aFeatureTheOperatorDisablesIsNotEnabledByUs() {
        List<String> args = build(List.of("--disable-features=FeatureX,NetworkServiceInProcess2"));
        assertThat(args).noneMatch(a -> a.startsWith("--enable-features="));
        assertThat(args).contains("--disable-features=" + ChromiumFlags.DISABLED_FEATURES
                + ",FeatureX,NetworkServiceInProcess2");
        assertThat(build(List.of("--enable-features=FeatureA", "--disable-features=NetworkServiceInProcess2")))
                .contains("--enable-features=FeatureA");
    }

    @Test
    void siteIsolationIsOffByDefaultSoAWidgetsFrameCostsNoRendererOfItsOwn() {
        assertThat(build(List.of())).contains(ChromiumFlags.NO_SITE_ISOLATION)
                .doesNotContain(ChromiumFlags.SITE_PER_PROCESS);
    }

    @Test
    void anOperatorsSitePerProcessTurnsSiteIsolationBackOn() {
        List<String> args = build(List.of(ChromiumFlags.SITE_PER_PROCESS));
        assertThat(args).contains(ChromiumFlags.SITE_PER_PROCESS).doesNotContain(ChromiumFlags.NO_SITE_ISOLATION);
    }

    @Test
    void sitesAreIsolatedOnlyWhenTheOperatorAsksForIt() {
        assertThat(ChromiumFlags.isolatesSites(List.of())).isFalse();
        assertThat(ChromiumFlags.isolatesSites(List.of("--lang=fr-FR"))).isFalse();
        assertThat(ChromiumFlags.isolatesSites(List.of(ChromiumFlags.SITE_PER_PROCESS))).isTrue();
        assertThat(ChromiumFlags.isolatesSites(List.of("--isolate-origins=https://a.test"))).isTrue();
    }

    @Test
    void withoutExtrasTheCommandLineIsOursAlone() {
        List<String> args = ChromiumFlags.build(PROFILE, UA, true, true, List.of());
        assertThat(args.subList(0, 2)).containsExactly("--headless=new", "--no-sandbox");
        assertThat(args).containsSubsequence(ChromiumFlags.COMMON.stream()
                .filter(f -> !f.startsWith("--disable-features=") && !f.startsWith("--enable-features=")).toList());
        assertThat(args).contains("--disable-features=" + ChromiumFlags.DISABLED_FEATURES,
                "--enable-features=" + ChromiumFlags.ENABLED_FEATURES, "--user-data-dir=" + PROFILE,
                "--user-agent=" + UA);
        assertThat(args.getLast()).isEqualTo("about:blank");
        assertThat(ChromiumFlags.build(PROFILE, UA, false, false, List.of()))
                .doesNotContain("--headless=new", "--no-sandbox");
    }

    private static List<String> build(List<String> extra) {
        return ChromiumFlags.build(PROFILE, UA, true, false, extra);
    }
}
