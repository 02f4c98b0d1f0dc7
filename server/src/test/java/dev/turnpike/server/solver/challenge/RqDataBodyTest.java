package dev.turnpike.server.solver.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.server.task.TaskSpec.RqData;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RqDataBodyTest {

    private static Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name1", "value1");
        fields.put("name2", 123456);
        fields.put("ratio", new BigDecimal("0.5"));
        fields.put("flag", true);
        fields.put("none", null);
        fields.put("list", List.of(1, "a"));
        return fields;
    }

    @Test
    void jsonKeepsEveryFieldsJsonTypeInOrder() {
        RqDataBody body = RqDataBody.of(new RqData(RqData.Mode.JSON, fields()));

        assertThat(body.contentType()).isEqualTo("application/json");
        assertThat(body.body()).isEqualTo(
                "{\"name1\":\"value1\",\"name2\":123456,\"ratio\":0.5,\"flag\":true,\"none\":null,\"list\":[1,\"a\"]}");
    }

    @Test
    void formWritesValuesAsTextUrlEncoded() {
        Map<String, Object> fields = fields();
        fields.put("q", "a b&c=d");

        RqDataBody body = RqDataBody.of(new RqData(RqData.Mode.FORM, fields));

        assertThat(body.contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(body.body()).isEqualTo(
                "name1=value1&name2=123456&ratio=0.5&flag=true&none=&list=%5B1%2C%22a%22%5D&q=a+b%26c%3Dd");
    }

    @Test
    void solveSubmissionAndChallengeFrameAreRecognisedByUrl() {
        assertThat(ChallengeMarkers.isSolveSubmission("https://shop.lab.test/?__cf_chl_f_tk=abc")).isTrue();
        assertThat(ChallengeMarkers.isSolveSubmission("https://shop.lab.test/?__cf_chl_rt_tk=abc")).isFalse();
        assertThat(ChallengeMarkers.isChallengeFrame(
                "https://challenges.cloudflare.com/cdn-cgi/challenge-platform/h/b/turnstile/f/av0/rch/x/y")).isTrue();
        assertThat(ChallengeMarkers.isChallengeFrame("https://ads.example/frame")).isFalse();
    }
}
