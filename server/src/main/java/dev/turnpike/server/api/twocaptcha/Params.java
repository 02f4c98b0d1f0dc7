package dev.turnpike.server.api.twocaptcha;

import java.util.Locale;
import java.util.Map;

/**
 * The parameters of one request, from the query string and the body together (a body value wins, as PHP's
 * {@code $_REQUEST} has it). Names are 2Captcha's, matched exactly.
 */
final class Params {

    /** Longer values are refused: no parameter of this dialect needs more (a chlPageData is a few kB). */
    static final int MAX_VALUE = 8192;

    private final Map<String, String> values;

    Params(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The value with surrounding blanks removed; null when absent or blank. */
    String text(String name) throws TwoCaptchaException {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_VALUE) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS,
                    name + " is longer than " + MAX_VALUE + " characters");
        }
        return value.strip();
    }

    /** A 0/1 switch ({@code json}, {@code header_acao}); also {@code true}/{@code false}; absent is off. */
    boolean flag(String name) throws TwoCaptchaException {
        String value = text(name);
        if (value == null) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS, name + " must be 0 or 1");
        };
    }

    /** The raw value of a switch, for answering in the form asked even when another parameter is bad. */
    boolean wantsJson() {
        String value = values.get("json");
        return value != null && (value.strip().equals("1") || value.strip().equalsIgnoreCase("true"));
    }

    boolean wantsCors() {
        String value = values.get("header_acao");
        return value != null && (value.strip().equals("1") || value.strip().equalsIgnoreCase("true"));
    }
}
