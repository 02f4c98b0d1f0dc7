package dev.turnpike.server.api.twocaptcha;

import dev.turnpike.server.api.CallbackForm;
import dev.turnpike.server.task.Task;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code pingback} of an {@code in.php} task, as 2Captcha sends it: a form POST {@code id=<id>&code=<answer>},
 * the answer being the token, or the error code when the task failed. Sent like every callback (once, to an address
 * the policy allowed, PROTOCOL.md §6).
 */
public final class Pingback implements CallbackForm {

    @Override
    public String contentType() {
        return "application/x-www-form-urlencoded";
    }

    @Override
    public byte[] body(Task task) {
        String code = TaskAnswers.of(task).request();
        return ("id=" + task.id() + "&code=" + URLEncoder.encode(code, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.US_ASCII);
    }
}
