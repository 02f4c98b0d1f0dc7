package dev.turnpike.server.browser.identity;

import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The time zone and languages a context presents, and where they come from: its proxy exit's country, or this
 * machine's own. The same everywhere: {@code Intl}'s time zone in the page, its frames and workers,
 * {@code navigator.languages} and the {@code Accept-Language} header.
 *
 * @param ip        the proxy's exit address, when learnt
 * @param country   the exit's country (ISO 3166 alpha-2), when learnt
 * @param timeZone  an IANA zone, e.g. {@code Europe/Berlin}
 * @param languages most preferred first, e.g. {@code de-DE, de, en-US, en}
 * @param source    whose they are
 * @param fallback  why a proxied context presents the machine's own; null otherwise
 */
public record RegionalIdentity(String ip, String country, String timeZone, List<String> languages,
                               IdentitySource source, ExitUnknown fallback) {

    public RegionalIdentity {
        Objects.requireNonNull(timeZone, "timeZone");
        languages = List.copyOf(languages);
        Objects.requireNonNull(source, "source");
        if (languages.isEmpty()) {
            throw new IllegalArgumentException("no languages");
        }
    }

    /** This machine's own: its time zone, the browser's own languages ({@code --accept-lang}). */
    public static RegionalIdentity machine(ExitUnknown fallback) {
        return new RegionalIdentity(null, null, ZoneId.systemDefault().getId(),
                Arrays.asList(WantedUserAgent.ACCEPT_LANGUAGE.split(",")), IdentitySource.MACHINE, fallback);
    }

    /** What {@code Emulation.setUserAgentOverride} takes as {@code acceptLanguage}; Chromium adds the q-values. */
    public String acceptLanguage() {
        return String.join(",", languages);
    }

    /** Whether the context must be told its time zone (the machine's own needs no override). */
    public boolean overridesTimeZone() {
        return source == IdentitySource.PROXY;
    }
}
