package dev.turnpike.lab.strict;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides which {@link StrictCheck}s fire for the signals a page collected ({@code strict-checks.js}) and the
 * request that carried them. Signals are {@code {where, page:{self, worker}, frame:{self, worker}, click}}; a
 * context that should have reported and did not counts against the user agent check, as a detector that gets
 * no answer from a worker would.
 */
public final class StrictJudge {

    private static final double MIN_DPR = 0.5;
    private static final double MAX_DPR = 4;
    private static final int MIN_SCREEN_WIDTH = 800;
    private static final int MIN_SCREEN_HEIGHT = 600;
    private static final int MAX_SCREEN_SIDE = 8192;
    /** Fewer trusted pointer moves than this before the press is a teleported pointer. */
    static final int MIN_MOVES = 3;

    private final CountryConventions countries;

    public StrictJudge(CountryConventions countries) {
        this.countries = Objects.requireNonNull(countries, "countries");
    }

    /**
     * The checks that fire, in {@link StrictCheck} order.
     *
     * @param signals       what the page sent; missing or malformed signals fire the user agent check
     * @param request       the headers and exit country of the request that carried them
     * @param clickRequired whether the challenge was interactive (the click checks apply)
     */
    public List<StrictFinding> judge(JsonNode signals, RequestFacts request, boolean clickRequired) {
        List<StrictFinding> found = new ArrayList<>();
        if (signals == null || !signals.isObject()) {
            found.add(new StrictFinding(StrictCheck.USER_AGENT_MISMATCH, "no signals"));
            return found;
        }
        boolean widget = "widget".equals(signals.path("where").asText());
        List<Context> contexts = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        collect(signals.path("page"), "page", contexts, missing);
        if (widget) {
            collect(signals.path("frame"), "frame", contexts, missing);
        }
        JsonNode top = signals.path("page").path("self");

        check(found, StrictCheck.WEBDRIVER, contexts.stream().filter(c -> c.json.path("webdriver").asBoolean())
                .map(c -> c.name).toList(), "webdriver true in ");
        check(found, StrictCheck.DRIVER_GLOBALS, contexts.stream()
                .filter(c -> c.json.path("driverGlobals").size() > 0)
                .map(c -> c.name + " " + c.json.path("driverGlobals")).toList(), "driver globals: ");
        headless(found, contexts, request);
        check(found, StrictCheck.DEVTOOLS_LISTENING, contexts.stream().filter(c -> c.json.path("devtools").asBoolean())
                .map(c -> c.name).toList(), "console serialized (Runtime/Console enabled) in ");
        userAgent(found, contexts, missing, request);
        clientHints(found, contexts, request);
        platform(found, contexts);
        languages(found, contexts, request);
        differs(found, StrictCheck.CONCURRENCY_MISMATCH, contexts, c -> c.path("hardwareConcurrency").asText());
        windowMetrics(found, top.path("window"));
        permissions(found, contexts);
        if (clickRequired && widget) {
            click(found, signals.path("click"), signals.path("frame").path("self").path("window"));
        }
        request.country().ifPresent(country -> country(found, contexts, request, country));
        return found;
    }

    private record Context(String name, JsonNode json) {
    }

    private static void collect(JsonNode part, String name, List<Context> contexts, List<String> missing) {
        for (String kind : List.of("self", "worker")) {
            JsonNode json = part.path(kind);
            String label = kind.equals("self") ? name : name + " worker";
            if (json.isObject() && json.has("ua")) {
                contexts.add(new Context(label, json));
            } else {
                missing.add(label);
            }
        }
    }

    private static void check(List<StrictFinding> found, StrictCheck check, List<String> hits, String prefix) {
        if (!hits.isEmpty()) {
            found.add(new StrictFinding(check, prefix + String.join(", ", hits)));
        }
    }

    private static void headless(List<StrictFinding> found, List<Context> contexts, RequestFacts request) {
        List<String> hits = new ArrayList<>();
        for (Context c : contexts) {
            String all = c.json.path("ua").asText() + c.json.path("uaData").path("brands")
                    + c.json.path("high").path("fullVersionList");
            if (all.contains("Headless")) {
                hits.add(c.name);
            }
        }
        if (contains(request.userAgent(), "Headless") || contains(request.secChUa(), "Headless")) {
            hits.add("request headers");
        }
        check(found, StrictCheck.HEADLESS, hits, "HeadlessChrome in ");
    }

    private static void userAgent(List<StrictFinding> found, List<Context> contexts, List<String> missing,
                                  RequestFacts request) {
        if (!missing.isEmpty()) {
            found.add(new StrictFinding(StrictCheck.USER_AGENT_MISMATCH, "no report from " + missing));
            return;
        }
        Set<String> seen = new LinkedHashSet<>();
        contexts.forEach(c -> seen.add(c.json.path("ua").asText()));
        seen.add(Objects.toString(request.userAgent(), ""));
        if (seen.size() > 1) {
            found.add(new StrictFinding(StrictCheck.USER_AGENT_MISMATCH, "user agents " + seen));
        }
    }

    private static void clientHints(List<StrictFinding> found, List<Context> contexts, RequestFacts request) {
        List<String> why = new ArrayList<>();
        if (distinct(contexts, c -> c.path("uaData").toString()) > 1) {
            why.add("low-entropy hints differ between contexts");
        }
        if (distinct(contexts, c -> c.path("high").toString()) > 1) {
            why.add("high-entropy hints differ between contexts");
        }
        for (Context c : contexts) {
            JsonNode high = c.json.path("high");
            if (c.json.path("uaData").isObject() && (high.path("architecture").asText().isEmpty()
                    || high.path("bitness").asText().isEmpty() || high.path("fullVersionList").isEmpty())) {
                why.add("empty high-entropy hints in " + c.name);
                break;
            }
        }
        if (!contexts.isEmpty()) {
            JsonNode data = contexts.getFirst().json.path("uaData");
            if (data.isObject()) {
                String platformHeader = "\"" + data.path("platform").asText() + "\"";
                if (request.secChUaPlatform() != null && !request.secChUaPlatform().equals(platformHeader)) {
                    why.add("Sec-CH-UA-Platform " + request.secChUaPlatform() + " vs " + platformHeader);
                }
                if (request.secChUa() != null && !sameBrands(request.secChUa(), data.path("brands"))) {
                    why.add("Sec-CH-UA " + request.secChUa() + " vs " + data.path("brands"));
                }
                String version = chromeMajor(contexts.getFirst().json.path("ua").asText());
                boolean branded = false;
                for (JsonNode brand : data.path("brands")) {
                    branded |= brand.asText().startsWith("Chromium/") && brand.asText().equals("Chromium/" + version);
                }
                if (!version.isEmpty() && !branded) {
                    why.add("user agent says Chrome " + version + ", brands " + data.path("brands"));
                }
            }
        }
        if (!why.isEmpty()) {
            found.add(new StrictFinding(StrictCheck.CLIENT_HINTS_MISMATCH, String.join("; ", why)));
        }
    }

    /** {@code "Chromium";v="156", "Not-A.Brand";v="24"} against {@code ["Chromium/156", "Not-A.Brand/24"]}. */
    private static boolean sameBrands(String header, JsonNode brands) {
        Set<String> fromHeader = new LinkedHashSet<>();
        for (String part : header.split(",")) {
            String[] nv = part.trim().split(";v=");
            if (nv.length == 2) {
                fromHeader.add(unquote(nv[0]) + "/" + unquote(nv[1]));
            }
        }
        Set<String> fromPage = new LinkedHashSet<>();
        brands.forEach(b -> fromPage.add(b.asText()));
        return fromHeader.equals(fromPage);
    }

    private static String unquote(String s) {
        String t = s.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    private static String chromeMajor(String ua) {
        int at = ua.indexOf("Chrome/");
        if (at < 0) {
            return "";
        }
        int end = at + 7;
        while (end < ua.length() && Character.isDigit(ua.charAt(end))) {
            end++;
        }
        return ua.substring(at + 7, end);
    }

    private static void platform(List<StrictFinding> found, List<Context> contexts) {
        List<String> why = new ArrayList<>();
        if (distinct(contexts, c -> c.path("platform").asText()) > 1) {
            why.add("navigator.platform differs between contexts");
        }
        for (Context c : contexts) {
            String expected = expectedPlatform(c.json.path("ua").asText());
            String platform = c.json.path("platform").asText();
            if (expected != null && !platform.startsWith(expected)) {
                why.add(c.name + " platform " + platform + " under a " + expected + " user agent");
            }
            String hint = c.json.path("uaData").path("platform").asText();
            if (expected != null && !hint.isEmpty() && !hintFits(expected, hint)) {
                why.add(c.name + " platform hint " + hint + " under a " + expected + " user agent");
            }
        }
        if (!why.isEmpty()) {
            found.add(new StrictFinding(StrictCheck.PLATFORM_MISMATCH, String.join("; ", why)));
        }
    }

    /** The {@code navigator.platform} prefix a user agent's OS implies, or null for one the lab does not judge. */
    private static String expectedPlatform(String ua) {
        if (ua.contains("Windows NT")) {
            return "Win";
        }
        if (ua.contains("Macintosh")) {
            return "Mac";
        }
        if (ua.contains("Linux") && !ua.contains("Android")) {
            return "Linux";
        }
        return null;
    }

    private static boolean hintFits(String expected, String hint) {
        return switch (expected) {
            case "Win" -> hint.equals("Windows");
            case "Mac" -> hint.equals("macOS");
            default -> hint.equals("Linux") || hint.equals("Chrome OS");
        };
    }

    private static void languages(List<StrictFinding> found, List<Context> contexts, RequestFacts request) {
        List<String> why = new ArrayList<>();
        if (distinct(contexts, c -> c.path("languages").toString()) > 1) {
            why.add("navigator.languages differ between contexts");
        }
        if (!contexts.isEmpty()) {
            String first = contexts.getFirst().json.path("languages").path(0).asText();
            String header = firstTag(request.acceptLanguage());
            if (header != null && !header.equalsIgnoreCase(first)) {
                why.add("Accept-Language starts with " + header + ", navigator.languages with " + first);
            }
            if (first.isEmpty()) {
                why.add("no navigator.languages");
            }
        }
        if (!why.isEmpty()) {
            found.add(new StrictFinding(StrictCheck.LANGUAGES_MISMATCH, String.join("; ", why)));
        }
    }

    private static String firstTag(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return null;
        }
        return acceptLanguage.split(",")[0].split(";")[0].trim();
    }

    private static void windowMetrics(List<StrictFinding> found, JsonNode w) {
        if (!w.isObject()) {
            found.add(new StrictFinding(StrictCheck.WINDOW_METRICS, "the top window did not report"));
            return;
        }
        int inW = w.path("innerWidth").asInt();
        int inH = w.path("innerHeight").asInt();
        int outW = w.path("outerWidth").asInt();
        int outH = w.path("outerHeight").asInt();
        int scrW = w.path("screenWidth").asInt();
        int scrH = w.path("screenHeight").asInt();
        double dpr = w.path("dpr").asDouble();
        List<String> why = new ArrayList<>();
        if (outW < inW || outH < inH) {
            why.add("outer " + outW + "x" + outH + " smaller than inner " + inW + "x" + inH);
        }
        if (scrW < outW || scrH < outH) {
            why.add("screen " + scrW + "x" + scrH + " smaller than the window " + outW + "x" + outH);
        }
        if (w.path("availWidth").asInt() > scrW || w.path("availHeight").asInt() > scrH) {
            why.add("available area larger than the screen");
        }
        if (scrW < MIN_SCREEN_WIDTH || scrH < MIN_SCREEN_HEIGHT || scrW > MAX_SCREEN_SIDE || scrH > MAX_SCREEN_SIDE
                || inW <= 0 || inH <= 0) {
            why.add("implausible sizes: screen " + scrW + "x" + scrH + ", inner " + inW + "x" + inH);
        }
        if (dpr < MIN_DPR || dpr > MAX_DPR) {
            why.add("devicePixelRatio " + dpr);
        }
        if (!why.isEmpty()) {
            found.add(new StrictFinding(StrictCheck.WINDOW_METRICS, String.join("; ", why)));
        }
    }

    private static void permissions(List<StrictFinding> found, List<Context> contexts) {
        for (Context c : contexts) {
            JsonNode p = c.json.path("permissions");
            if (!p.isObject()) {
                continue; // workers have no Notification
            }
            String shown = p.path("notification").asText();
            String queried = p.path("query").asText();
            String expected = shown.equals("default") ? "prompt" : shown;
            if (!queried.equals(expected)) {
                found.add(new StrictFinding(StrictCheck.PERMISSIONS, c.name + ": Notification.permission " + shown
                        + ", permissions.query " + queried));
                return;
            }
        }
    }

    private static void click(List<StrictFinding> found, JsonNode click, JsonNode frameWindow) {
        if (!click.isObject()) {
            found.add(new StrictFinding(StrictCheck.CLICK_NO_MOVEMENT, "no trusted click recorded"));
            return;
        }
        int moves = click.path("moves").asInt();
        if (moves < MIN_MOVES) {
            found.add(new StrictFinding(StrictCheck.CLICK_NO_MOVEMENT, moves + " pointer moves before the press"));
        }
        double pressMs = click.path("pressMs").asDouble(-1);
        if (pressMs <= 0) {
            found.add(new StrictFinding(StrictCheck.CLICK_NO_PRESS, "press lasted " + pressMs + " ms"));
        }
        String type = click.path("pointerType").asText();
        if (!type.equals("mouse")) {
            found.add(new StrictFinding(StrictCheck.CLICK_POINTER_TYPE, "pointerType " + type));
        }
        JsonNode at = click.path("at");
        double offX = at.path("screenX").asDouble() - at.path("clientX").asDouble();
        double offY = at.path("screenY").asDouble() - at.path("clientY").asDouble();
        double winX = frameWindow.path("screenX").asDouble();
        double winY = frameWindow.path("screenY").asDouble();
        List<String> why = new ArrayList<>();
        if (Math.abs(at.path("pageX").asDouble() - at.path("clientX").asDouble() - at.path("scrollX").asDouble()) > 1
                || Math.abs(at.path("pageY").asDouble() - at.path("clientY").asDouble()
                - at.path("scrollY").asDouble()) > 1) {
            why.add("page coordinates are not client plus scroll");
        }
        if (offX < winX || offY < winY || offX > winX + frameWindow.path("outerWidth").asDouble()
                || offY > winY + frameWindow.path("outerHeight").asDouble()) {
            why.add("screen − client offset (" + offX + ", " + offY + ") outside the window at (" + winX + ", " + winY
                    + ")");
        }
        if (!why.isEmpty()) {
            found.add(new StrictFinding(StrictCheck.CLICK_COORDINATES, String.join("; ", why)));
        }
    }

    private void country(List<StrictFinding> found, List<Context> contexts, RequestFacts request, String country) {
        if (countries.knowsZones(country)) {
            List<String> off = contexts.stream().map(c -> c.json.path("timeZone").asText())
                    .filter(z -> !countries.zoneOf(country, z)).distinct().toList();
            if (!off.isEmpty()) {
                found.add(new StrictFinding(StrictCheck.TIMEZONE_COUNTRY, "time zone " + off + " from " + country));
            }
        }
        if (!countries.languages(country).isEmpty()) {
            List<String> off = new ArrayList<>();
            contexts.stream().map(c -> c.json.path("languages").path(0).asText()).distinct()
                    .filter(tag -> !countries.languageOf(country, tag)).forEach(off::add);
            String header = firstTag(request.acceptLanguage());
            if (header != null && !countries.languageOf(country, header)) {
                off.add("Accept-Language " + header);
            }
            if (!off.isEmpty()) {
                found.add(new StrictFinding(StrictCheck.LANGUAGES_COUNTRY, "languages " + off + " from " + country));
            }
        }
    }

    private static void differs(List<StrictFinding> found, StrictCheck check, List<Context> contexts,
                                Function<JsonNode, String> value) {
        if (distinct(contexts, value) > 1) {
            List<String> values = contexts.stream().map(c -> c.name + "=" + value.apply(c.json)).toList();
            found.add(new StrictFinding(check, String.join(", ", values)));
        }
    }

    private static long distinct(List<Context> contexts, Function<JsonNode, String> value) {
        return contexts.stream().map(c -> value.apply(c.json)).distinct().count();
    }

    private static boolean contains(String text, String part) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
    }
}
