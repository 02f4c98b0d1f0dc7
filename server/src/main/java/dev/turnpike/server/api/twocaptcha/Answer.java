package dev.turnpike.server.api.twocaptcha;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer of 2Captcha's dialect in both its forms: {@code text} for {@code json=0} ({@code OK|…}, a bare code, a
 * balance) and, for {@code json=1}, {@code {"status":…,"request":…}} plus {@code extra} fields ({@code useragent},
 * {@code price}, {@code error_text}).
 *
 * @param status  1 for a result, 0 for "not ready" and for errors
 * @param request what the JSON form carries in {@code request}: the id, the token, the balance or the code
 * @param text    the whole plain-text answer
 */
record Answer(int status, String request, String text, Map<String, Object> extra) {

    static final String NOT_READY = "CAPCHA_NOT_READY";

    Answer {
        extra = Map.copyOf(extra);
    }

    /** A result: {@code OK|value} in text, {@code {"status":1,"request":value}} in JSON. */
    static Answer ok(String value) {
        return new Answer(1, value, "OK|" + value, Map.of());
    }

    /** A result whose text form has no {@code OK|} (a balance, {@code OK_REPORT_RECORDED}). */
    static Answer bare(String value) {
        return new Answer(1, value, value, Map.of());
    }

    static Answer notReady() {
        return new Answer(0, NOT_READY, NOT_READY, Map.of());
    }

    /** An error: the code alone in text; with {@code error_text} in JSON. */
    static Answer error(String code, String errorText) {
        return new Answer(0, code, code, Map.of("error_text", errorText));
    }

    Answer with(String field, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extra);
        more.put(field, value);
        return new Answer(status, request, text, more);
    }

    /** The JSON form's fields in order: status, request, then the extras. */
    Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", status);
        out.put("request", request);
        extra.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
