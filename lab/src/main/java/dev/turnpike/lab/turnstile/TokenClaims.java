package dev.turnpike.lab.turnstile;

/**
 * What a lab Turnstile token says (LAB.md L2). Times are epoch milliseconds of the lab clock.
 *
 * @param chlPageDataSha256 hex SHA-256 of the chlPageData the widget ran with (managed challenges), or null
 */
public record TokenClaims(String jti, String sk, String host, String action, String cdata, long iat, long exp,
                          String wid, boolean interactive, String chlPageDataSha256) {
}
