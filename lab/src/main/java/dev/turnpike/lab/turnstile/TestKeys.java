package dev.turnpike.lab.turnstile;

import java.util.Set;

/** Cloudflare's documented Turnstile test sitekeys, secrets and dummy token (LAB.md L2), present in every lab. */
public final class TestKeys {

    public static final String PASS_VISIBLE = "1x00000000000000000000AA";
    public static final String FAIL_VISIBLE = "2x00000000000000000000AB";
    public static final String PASS_INVISIBLE = "1x00000000000000000000BB";
    public static final String FAIL_INVISIBLE = "2x00000000000000000000BB";
    public static final String FORCE_INTERACTIVE = "3x00000000000000000000FF";

    public static final String SECRET_PASSES = "1x0000000000000000000000000000000AA";
    public static final String SECRET_FAILS = "2x0000000000000000000000000000000AA";
    public static final String SECRET_SPENT = "3x0000000000000000000000000000000AA";

    public static final String DUMMY_TOKEN = "XXXX.DUMMY.TOKEN.XXXX";

    private static final Set<String> SITEKEYS = Set.of(PASS_VISIBLE, FAIL_VISIBLE, PASS_INVISIBLE, FAIL_INVISIBLE,
            FORCE_INTERACTIVE);
    private static final Set<String> SECRETS = Set.of(SECRET_PASSES, SECRET_FAILS, SECRET_SPENT);

    private TestKeys() {
    }

    public static boolean isTestSitekey(String sitekey) {
        return SITEKEYS.contains(sitekey);
    }

    public static boolean isTestSecret(String secret) {
        return SECRETS.contains(secret);
    }

    /** Whether the test sitekey's widget fails (600010). */
    public static boolean fails(String sitekey) {
        return FAIL_VISIBLE.equals(sitekey) || FAIL_INVISIBLE.equals(sitekey);
    }

    public static boolean invisible(String sitekey) {
        return PASS_INVISIBLE.equals(sitekey) || FAIL_INVISIBLE.equals(sitekey);
    }

    public static boolean interactive(String sitekey) {
        return FORCE_INTERACTIVE.equals(sitekey);
    }
}
