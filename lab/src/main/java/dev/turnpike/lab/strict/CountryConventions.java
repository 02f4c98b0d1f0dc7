package dev.turnpike.lab.strict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The time zones and languages of a country, from data the machine already has: time zones from the tz
 * database's {@code zone.tab} and {@code zone1970.tab} (Debian's tzdata), languages from the JDK's locales. No
 * hand-written table: a country the data does not know has no conventions, and its checks do not fire.
 */
public final class CountryConventions {

    public static final Path ZONEINFO = Path.of("/usr/share/zoneinfo");

    private final Map<String, Set<String>> zonesByCountry;

    CountryConventions(Map<String, Set<String>> zonesByCountry) {
        this.zonesByCountry = zonesByCountry;
    }

    /** Reads the tables under {@code zoneinfo} (either may be missing). */
    public static CountryConventions load(Path zoneinfo) {
        Map<String, Set<String>> zones = new HashMap<>();
        for (String table : new String[] {"zone.tab", "zone1970.tab"}) {
            Path file = zoneinfo.resolve(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] columns = line.split("\t");
                    if (line.startsWith("#") || columns.length < 3) {
                        continue;
                    }
                    for (String country : columns[0].split(",")) {
                        zones.computeIfAbsent(country.toUpperCase(Locale.ROOT), c -> new HashSet<>()).add(columns[2]);
                    }
                }
            } catch (IOException e) {
                // an unreadable table knows no countries
            }
        }
        return new CountryConventions(zones);
    }

    /** Whether the data knows the country's time zones. */
    public boolean knowsZones(String country) {
        return zonesByCountry.containsKey(country.toUpperCase(Locale.ROOT));
    }

    /** Whether {@code zone} (or the zone it is an alias of) is one of the country's. */
    public boolean zoneOf(String country, String zone) {
        Set<String> zones = zonesByCountry.getOrDefault(country.toUpperCase(Locale.ROOT), Set.of());
        if (zone == null || zone.isEmpty()) {
            return false;
        }
        if (zones.contains(zone)) {
            return true;
        }
        try {
            String canonical = ZoneId.of(zone, ZoneId.SHORT_IDS).normalized().getId();
            return zones.contains(canonical) || zones.stream().anyMatch(z -> ZoneId.of(z).getRules()
                    .equals(ZoneId.of(zone).getRules()) && sameName(z, zone));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** An alias (Asia/Calcutta for Asia/Kolkata) has the same rules; the city part tells aliases from neighbours. */
    private static boolean sameName(String a, String b) {
        return a.substring(0, Math.max(0, a.indexOf('/'))).equals(b.substring(0, Math.max(0, b.indexOf('/'))));
    }

    /** The languages (ISO 639) the JDK has a locale of for the country, e.g. {@code CH} → de, fr, it, rm, …. */
    public Set<String> languages(String country) {
        Set<String> languages = new HashSet<>();
        for (Locale locale : Locale.getAvailableLocales()) {
            if (locale.getCountry().equalsIgnoreCase(country) && !locale.getLanguage().isEmpty()) {
                languages.add(locale.getLanguage());
            }
        }
        return languages;
    }

    /** Whether a language tag ({@code de-CH}, {@code fr}) is of a language spoken in the country. */
    public boolean languageOf(String country, String tag) {
        if (tag == null || tag.isBlank()) {
            return false;
        }
        String language = Locale.forLanguageTag(tag.trim()).getLanguage();
        return languages(country).contains(language);
    }
}
