package dev.turnpike.lab.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.lab.core.ChallengeLoop;
import dev.turnpike.lab.core.HostHostile;
import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.core.LabEvent;
import dev.turnpike.lab.core.LabHost;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyHostile;
import dev.turnpike.lab.core.SitekeyMode;
import dev.turnpike.lab.core.SiteverifyFault;
import dev.turnpike.lab.proxy.ProxyAccount;
import dev.turnpike.lab.proxy.ProxyFault;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The admin API's JSON forms. Enum values are written as in LAB.md ({@code non-interactive}, {@code turnstile-form},
 * {@code internal-error}); either case and {@code _} or {@code -} are accepted. Unknown fields are refused, so a
 * typo never silently leaves a mode off.
 */
public final class AdminJson {

    private AdminJson() {
    }

    public static Sitekey sitekey(JsonNode json) {
        allowOnly(json, "sitekey", "secret", "hostnames", "mode", "powBits", "delayMs", "hostile", "strict");
        List<String> hostnames = new ArrayList<>();
        json.path("hostnames").forEach(h -> hostnames.add(h.asText()));
        return new Sitekey(required(json, "sitekey"), required(json, "secret"), hostnames,
                enumOf(SitekeyMode.class, json.path("mode").asText("managed")),
                json.has("powBits") ? json.get("powBits").asInt() : Sitekey.POW_BITS_DEFAULT_MARKER,
                json.path("delayMs").asLong(0), sitekeyHostile(json.path("hostile")));
    }

    public static SitekeyHostile sitekeyHostile(JsonNode json) {
        if (json.isMissingNode() || json.isNull()) {
            return SitekeyHostile.NONE;
        }
        allowOnly(json, "alwaysFail", "interactiveOnly", "chlTimeoutMs", "tokenTtlMs", "duplicateOnFirstUse", "hang",
                "hangMs", "invalidSitekey", "domainNotAllowed", "siteverifyFault", "siteverifyDelayMs", "shadowMode",
                "legacyIframePath");
        return new SitekeyHostile(json.path("alwaysFail").asBoolean(), json.path("interactiveOnly").asBoolean(),
                json.path("chlTimeoutMs").asLong(), json.path("tokenTtlMs").asLong(),
                json.path("duplicateOnFirstUse").asBoolean(), json.path("hang").asBoolean(), json.path("hangMs").asLong(),
                json.path("invalidSitekey").asBoolean(), json.path("domainNotAllowed").asBoolean(),
                enumOf(SiteverifyFault.class, json.path("siteverifyFault").asText("none")),
                json.path("siteverifyDelayMs").asLong(), json.path("shadowMode").asText("closed"),
                json.path("legacyIframePath").asBoolean());
    }

    public static LabHost host(JsonNode json) {
        allowOnly(json, "host", "kind", "cType", "passageSec", "hostile", "strict");
        return new LabHost(required(json, "host"), enumOf(HostKind.class, json.path("kind").asText("plain")),
                json.hasNonNull("cType") ? json.get("cType").asText() : null, json.path("passageSec").asInt(0),
                hostHostile(json.path("hostile")));
    }

    public static HostHostile hostHostile(JsonNode json) {
        if (json.isMissingNode() || json.isNull()) {
            return HostHostile.NONE;
        }
        allowOnly(json, "challengeLoop", "bindingStrict", "blocked", "legacyIuam", "cMTimeMs", "redirect307");
        return new HostHostile(enumOf(ChallengeLoop.class, json.path("challengeLoop").asText("none")),
                json.path("bindingStrict").asBoolean(), json.path("blocked").asBoolean(),
                json.path("legacyIuam").asBoolean(), json.path("cMTimeMs").asLong(), json.path("redirect307").asBoolean());
    }

    /** The {@code strict} flag of a sitekey or host (LAB.md L5): false when absent. */
    public static boolean strict(JsonNode json) {
        JsonNode value = json.path("strict");
        if (!value.isMissingNode() && !value.isNull() && !value.isBoolean()) {
            throw new IllegalArgumentException("strict must be true or false");
        }
        return value.asBoolean(false);
    }

    public static ProxyAccount proxyAccount(JsonNode json) {
        allowOnly(json, "user", "pass", "exitIp", "fault", "country");
        return new ProxyAccount(required(json, "user"), required(json, "pass"), required(json, "exitIp"),
                enumOf(ProxyFault.class, json.path("fault").asText("none")),
                json.hasNonNull("country") ? json.get("country").asText() : null);
    }

    public static Map<String, Object> event(LabEvent event) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seq", event.seq());
        json.put("at", event.at().toString());
        json.put("type", event.type());
        json.put("fields", event.fields());
        return json;
    }

    public static <E extends Enum<E>> E enumOf(Class<E> type, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + type.getSimpleName() + ": " + value);
        }
    }

    /** The LAB.md spelling of an enum value: lower case with dashes. */
    public static String spelling(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String required(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("missing field: " + field);
        }
        return value.asText();
    }

    private static void allowOnly(JsonNode json, String... fields) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        List<String> allowed = List.of(fields);
        json.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("unknown field: " + name + " (allowed: " + allowed + ")");
            }
        });
    }
}
