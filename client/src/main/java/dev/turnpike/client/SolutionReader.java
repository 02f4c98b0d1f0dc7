package dev.turnpike.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads solution objects tolerantly, in the shapes every service of the protocol sends (Turnpike, YesCaptcha,
 * EZ-Captcha, CapSolver, CapMonster, Anti-Captcha): the first spelling present wins, missing fields are empty,
 * unknown fields are ignored.
 */
final class SolutionReader {

    private static final String[] TOKEN_FIELDS = {"token", "gRecaptchaResponse"};
    private static final String[] USER_AGENT_FIELDS = {"userAgent", "user_agent", "useragent", "UserAgent"};
    private static final String[] HEADER_FIELDS = {"header", "headers"};

    private SolutionReader() {
    }

    static TurnstileSolution turnstile(TaskId taskId, JsonNode solution) {
        String token = firstText(solution, TOKEN_FIELDS).orElseThrow(() -> new TurnpikeException(
                TurnpikeException.BAD_ANSWER, "the solution has neither token nor gRecaptchaResponse", taskId, null));
        return new TurnstileSolution(taskId, token, userAgent(solution));
    }

    static ChallengeSolution challenge(TaskId taskId, JsonNode solution) {
        Map<String, String> cookies = cookies(solution.get("cookies"));
        Optional<String> clearance = Optional.ofNullable(cookies.get("cf_clearance"))
                .or(() -> firstText(solution, "cf_clearance"));
        clearance.ifPresent(value -> cookies.putIfAbsent("cf_clearance", value));
        OptionalInt status = number(solution.get("status"));
        return new ChallengeSolution(taskId, cookies, clearance, userAgent(solution), headers(solution), status,
                firstText(solution, "url"), firstText(solution, "body"));
    }

    static Optional<String> userAgent(JsonNode solution) {
        return firstText(solution, USER_AGENT_FIELDS)
                .or(() -> Optional.ofNullable(headers(solution).get("user-agent")));
    }

    /** Name → value from {@code {"a":"1"}}, {@code [{"name":"a","value":"1"}]}, or {@code "a=1; b=2"}. */
    static Map<String, String> cookies(JsonNode node) {
        Map<String, String> cookies = new LinkedHashMap<>();
        if (node == null) {
            return cookies;
        }
        if (node.isObject()) {
            node.properties().forEach(e -> text(e.getValue()).ifPresent(v -> cookies.put(e.getKey(), v)));
        } else if (node.isArray()) {
            for (JsonNode cookie : node) {
                if (cookie.isObject()) {
                    Optional<String> name = firstText(cookie, "name");
                    Optional<String> value = text(cookie.get("value"));
                    if (name.isPresent() && value.isPresent()) {
                        cookies.put(name.get(), value.get());
                    }
                } else if (cookie.isTextual()) {
                    putPairs(cookie.asText(), cookies);
                }
            }
        } else if (node.isTextual()) {
            putPairs(node.asText(), cookies);
        }
        return cookies;
    }

    private static void putPairs(String header, Map<String, String> cookies) {
        for (String pair : header.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
    }

    private static Map<String, String> headers(JsonNode solution) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String field : HEADER_FIELDS) {
            JsonNode node = solution.get(field);
            if (node != null && node.isObject()) {
                node.properties().forEach(e -> text(e.getValue())
                        .ifPresent(v -> headers.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), v)));
            }
        }
        return headers;
    }

    private static Optional<String> firstText(JsonNode object, String... fields) {
        for (String field : fields) {
            Optional<String> value = text(object.get(field));
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /** A non-empty string or number as text; null, empty strings, objects and arrays count as absent. */
    static Optional<String> text(JsonNode node) {
        if (node == null || !(node.isTextual() || node.isNumber() || node.isBoolean())) {
            return Optional.empty();
        }
        String text = node.asText();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private static OptionalInt number(JsonNode node) {
        if (node != null && node.canConvertToInt() && node.isIntegralNumber()) {
            return OptionalInt.of(node.intValue());
        }
        if (node != null && node.isTextual()) {
            try {
                return OptionalInt.of(Integer.parseInt(node.asText().trim()));
            } catch (NumberFormatException notANumber) {
                return OptionalInt.empty();
            }
        }
        return OptionalInt.empty();
    }
}
