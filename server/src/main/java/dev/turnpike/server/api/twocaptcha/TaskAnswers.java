package dev.turnpike.server.api.twocaptcha;

import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.TaskState;

/** A task's state as {@code res.php?action=get} answers it, and as its pingback's {@code code}. */
final class TaskAnswers {

    private TaskAnswers() {
    }

    /**
     * Queued or solving: {@code CAPCHA_NOT_READY}. Ready: the token ({@code OK|token}; in JSON with the
     * {@code useragent} it is bound to). A challenge task created with createTask: its {@code cf_clearance}. Failed:
     * 2Captcha's code for the reason, the description in {@code error_text}.
     */
    static Answer of(Task task) {
        return switch (task.state()) {
            case TaskState.Queued q -> Answer.notReady();
            case TaskState.Solving s -> Answer.notReady();
            case TaskState.Ready r -> switch (r.solution()) {
                case Solution.Turnstile t -> Answer.ok(t.token()).with("useragent", t.userAgent());
                case Solution.Challenge c -> Answer.ok(c.cfClearance()).with("useragent", c.userAgent());
                case Solution.Page p -> Answer.ok(p.cookies().stream().filter(c -> "cf_clearance".equals(c.get("name")))
                        .map(c -> String.valueOf(c.get("value"))).findFirst().orElse("")).with("useragent", p.userAgent());
            };
            case TaskState.Failed f -> Answer.error(TwoCaptchaError.of(f.reason()).name(), f.description());
        };
    }
}
