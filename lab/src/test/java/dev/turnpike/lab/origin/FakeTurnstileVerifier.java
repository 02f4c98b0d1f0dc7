package dev.turnpike.lab.origin;

import java.util.List;

/**
 * Test stand-in for the lab's siteverify: a token {@code ok|<hostname>|<action>|<cdata>|<interactive>|<cpd>} is
 * valid for {@code secret}, anything else is refused. The real siteverify is the core's; this lets the origin's
 * own checks (action, cData, hostname, interactivity) be tested over HTTP without a browser.
 */
final class FakeTurnstileVerifier implements TurnstileVerifier {

    static String token(String host, String action, String cdata, boolean interactive, String chlPageDataSha256) {
        return "ok|" + host + "|" + action + "|" + cdata + "|" + interactive + "|" + chlPageDataSha256;
    }

    @Override
    public Verdict verify(String secret, String token, String remoteIp) {
        String[] parts = token == null ? new String[0] : token.split("\\|", -1);
        if (parts.length != 6 || !parts[0].equals("ok")) {
            return new Verdict(false, null, null, null, false, null, List.of("invalid-input-response"));
        }
        return new Verdict(true, parts[1], parts[2], parts[3], Boolean.parseBoolean(parts[4]), parts[5], List.of());
    }
}
