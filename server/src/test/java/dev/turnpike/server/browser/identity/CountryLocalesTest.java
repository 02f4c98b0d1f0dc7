package dev.turnpike.server.browser.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A country's zone comes from the machine's tz data, its most populous first; its languages as its browsers say them. */
class CountryLocalesTest {

    @Test
    void aCountrysZoneIsTheFirstTheTzDatabaseListsForIt() {
        assumeTrue(Files.isReadable(CountryLocales.ZONEINFO.resolve("zone.tab")), "no tzdata");
        CountryLocales locales = CountryLocales.load(CountryLocales.ZONEINFO);
        assertThat(locales.timeZone("US")).contains("America/New_York");
        assertThat(locales.timeZone("de")).contains("Europe/Berlin");
        assertThat(locales.timeZone("JP")).contains("Asia/Tokyo");
        assertThat(locales.timeZone("XX")).isEmpty();
        assertThat(locales.countries()).contains("BR", "IN", "CH").doesNotContain("XX");
    }

    @Test
    void withoutTzDataNoCountryHasAZone(@org.junit.jupiter.api.io.TempDir Path empty) {
        assertThat(CountryLocales.load(empty).timeZone("US")).isEmpty();
    }

    @Test
    void zone1970IsReadWhenZoneTabIsMissing(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("zone1970.tab"), "# comment\nCH,DE,LI\t+4723+00832\tEurope/Zurich\n"
                + "DE,DK,NO,SE,SJ\t+5230+01322\tEurope/Berlin\n");
        CountryLocales locales = CountryLocales.load(dir);
        assertThat(locales.timeZone("DK")).contains("Europe/Berlin");
        assertThat(locales.timeZone("LI")).contains("Europe/Zurich");
    }

    @Test
    void languagesAreTheCountrysThenEnglish() {
        assertThat(CountryLocales.languages("CH", "de")).containsExactly("de-CH", "de", "en-US", "en");
        assertThat(CountryLocales.languages("gb", "en")).containsExactly("en-GB", "en");
    }
}
