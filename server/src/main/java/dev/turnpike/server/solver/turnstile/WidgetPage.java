package dev.turnpike.server.solver.turnstile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The minimal page fast mode serves at the task's URL: Cloudflare's api.js and one explicitly rendered
 * widget with the task's sitekey, action, cData and chlPageData. Failures the widget only reports to the
 * page (validation, the api.js watchdog) are posted to our listener with a per-task tag.
 */
final class WidgetPage {

    static final String API_JS = "https://challenges.cloudflare.com/turnstile/v0/api.js";
    private static final ObjectMapper JSON = new ObjectMapper();

    private WidgetPage() {
    }

    static String html(String sitekey, String action, String cData, String chlPageData, String tag) {
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width,initial-scale=1"><title>Verification</title>
                </head><body style="margin:0;padding:24px">
                <div id="cf-widget"></div>
                <script>
                function onTurnstileLoad() {
                  turnstile.render('#cf-widget', Object.assign(%s, {
                    retry: 'never',
                    'error-callback': function (code) {
                      window.postMessage({source: %s, event: 'fail', code: String(code)}, location.origin);
                      return true;
                    }
                  }));
                }
                </script>
                <script src="%s?render=explicit&onload=onTurnstileLoad" async defer></script>
                </body></html>
                """.formatted(renderOptions(sitekey, action, cData, chlPageData), quote(tag), API_JS);
    }

    /**
     * A script for the page's main world that renders one more widget with the task's parameters (M1's
     * fallback when the page has no widget of that sitekey): through the page's own {@code turnstile}
     * when loaded, else by adding api.js.
     */
    static String renderFallback(String sitekey, String action, String cData, String chlPageData, String tag) {
        return """
                (function () {
                  var box = document.createElement('div');
                  box.style.margin = '16px';
                  document.body.appendChild(box);
                  var options = Object.assign(%s, {
                    'error-callback': function (code) {
                      window.postMessage({source: %s, event: 'fail', code: String(code)}, location.origin);
                      return true;
                    }
                  });
                  function draw() { window.turnstile.render(box, options); }
                  if (window.turnstile && window.turnstile.render) { draw(); return; }
                  var s = document.createElement('script');
                  s.src = %s;
                  s.async = true;
                  s.onload = function () { setTimeout(draw, 0); };
                  document.head.appendChild(s);
                })();
                """.formatted(renderOptions(sitekey, action, cData, chlPageData), quote(tag),
                quote(API_JS + "?render=explicit"));
    }

    private static String renderOptions(String sitekey, String action, String cData, String chlPageData) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("sitekey", sitekey);
        if (action != null) {
            options.put("action", action);
        }
        if (cData != null) {
            options.put("cData", cData);
        }
        if (chlPageData != null) {
            options.put("chlPageData", chlPageData);
        }
        return toScriptJson(options);
    }

    static String quote(String s) {
        return toScriptJson(s);
    }

    /** JSON safe inside a {@code <script>} element: no {@code </script>} can close it early. */
    private static String toScriptJson(Object value) {
        try {
            return JSON.writeValueAsString(value).replace("<", "\\u003c").replace("\u2028", "\\u2028")
                    .replace("\u2029", "\\u2029");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
