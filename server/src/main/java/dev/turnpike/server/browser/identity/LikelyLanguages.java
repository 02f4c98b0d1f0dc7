package dev.turnpike.server.browser.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each country's likely language from CLDR's likely subtags, as the browser's ICU knows them
 * ({@code new Intl.Locale("und-GB").maximize()} → {@code en-Latn-GB}): asked once, for every country the tz data
 * knows, in one evaluation in an isolated world of a blank page, then kept for the life of the process.
 */
public final class LikelyLanguages {

    private static final Logger log = LoggerFactory.getLogger(LikelyLanguages.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Evaluates an expression in a browser page and returns its value. */
    @FunctionalInterface
    public interface Browser {
        JsonNode evaluate(String expression) throws InterruptedException;
    }

    private final List<String> countries;
    private volatile Map<String, String> languages;

    public LikelyLanguages(List<String> countries) {
        this.countries = countries.stream().filter(c -> c.matches("[A-Z]{2}")).toList();
    }

    /** The country's likely language ({@code de}), asking {@code browser} the first time. */
    public Optional<String> of(String country, Browser browser) throws InterruptedException {
        Map<String, String> known = languages;
        if (known == null) {
            known = load(browser);
        }
        return Optional.ofNullable(known.get(country.toUpperCase(Locale.ROOT)));
    }

    private synchronized Map<String, String> load(Browser browser) throws InterruptedException {
        if (languages != null) {
            return languages;
        }
        String list = countries.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(",", "[", "]"));
        String expression = "JSON.stringify(Object.fromEntries(" + list + ".map(c => { try { return [c, new Intl"
                + ".Locale('und-' + c).maximize().language]; } catch (e) { return [c, '']; } })))";
        Map<String, String> found = new HashMap<>();
        try {
            JsonNode answer = JSON.readTree(browser.evaluate(expression).asText("{}"));
            answer.properties().forEach(e -> {
                String language = e.getValue().asText("");
                if (language.matches("[a-z]{2,3}") && !language.equals("und")) {
                    found.put(e.getKey(), language);
                }
            });
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            log.warn("the browser did not say its countries' languages: {}", e.toString());
            return Map.of(); // asked again by the next task
        }
        languages = Map.copyOf(found);
        return languages;
    }
}
