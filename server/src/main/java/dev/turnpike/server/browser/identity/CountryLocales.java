package dev.turnpike.server.browser.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A country's time zone and languages, from data the machine has, not from a table of ours.
 * <ul>
 *   <li>The time zone: the country's first zone in the tz database's {@code zone.tab} (Debian's tzdata), which lists
 *       a country's most populous zone first ({@code US} → {@code America/New_York}); {@code zone1970.tab} when
 *       {@code zone.tab} is missing.</li>
 *   <li>The language: CLDR's likely language of the country ({@code und-CH} → {@code de}), as the browser's own ICU
 *       data maximises it ({@link LikelyLanguages}). The JDK's {@link Locale} list alone cannot rank a country's
 *       languages: it knows Welsh and English for {@code GB} alike, Swampy Cree and English for {@code CA}.</li>
 * </ul>
 * The languages presented are a desktop Chrome's of that country: the language with the country, the language,
 * then English ({@code de-CH, de, en-US, en}); an English-speaking country's are {@code en-GB, en}.
 */
public final class CountryLocales {

    public static final Path ZONEINFO = Path.of("/usr/share/zoneinfo");

    private final Map<String, String> firstZone;

    CountryLocales(Map<String, String> firstZone) {
        this.firstZone = Map.copyOf(firstZone);
    }

    /** Reads {@code zone.tab} under {@code zoneinfo}, else {@code zone1970.tab}; neither: no country has a zone. */
    public static CountryLocales load(Path zoneinfo) {
        for (String table : List.of("zone.tab", "zone1970.tab")) {
            Map<String, String> zones = read(zoneinfo.resolve(table));
            if (!zones.isEmpty()) {
                return new CountryLocales(zones);
            }
        }
        return new CountryLocales(Map.of());
    }

    private static Map<String, String> read(Path file) {
        Map<String, String> zones = new LinkedHashMap<>();
        if (!Files.isReadable(file)) {
            return zones;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] columns = line.split("\t");
                if (line.startsWith("#") || columns.length < 3 || !knownToJava(columns[2])) {
                    continue;
                }
                for (String country : columns[0].split(",")) {
                    zones.putIfAbsent(country.trim().toUpperCase(Locale.ROOT), columns[2]);
                }
            }
        } catch (IOException e) {
            return new LinkedHashMap<>();
        }
        return zones;
    }

    private static boolean knownToJava(String zone) {
        try {
            ZoneId.of(zone);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** The countries with a time zone, for {@link LikelyLanguages} to ask about. */
    public List<String> countries() {
        return List.copyOf(firstZone.keySet());
    }

    /** The country's most populous time zone, if the tz data knows the country. */
    public Optional<String> timeZone(String country) {
        return Optional.ofNullable(firstZone.get(country.toUpperCase(Locale.ROOT)));
    }

    /** The languages a browser of the country presents, most preferred first, for its likely language. */
    public static List<String> languages(String country, String language) {
        String region = country.toUpperCase(Locale.ROOT);
        String lang = language.toLowerCase(Locale.ROOT);
        List<String> tags = new ArrayList<>(List.of(lang + "-" + region, lang));
        if (!lang.equals("en")) {
            tags.addAll(List.of("en-US", "en"));
        }
        return tags;
    }
}
