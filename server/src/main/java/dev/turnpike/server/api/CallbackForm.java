package dev.turnpike.server.api;

import dev.turnpike.server.task.Task;
import java.io.IOException;

/**
 * The form of an ended task's callback in one API dialect: the JSON {@code getTaskResult} body for
 * {@code callbackUrl}, 2Captcha's {@code id=…&code=…} form for an {@code in.php} {@code pingback}.
 */
public interface CallbackForm {

    /** The JSON task protocol's: the {@code getTaskResult} body (PROTOCOL.md §3.1). */
    CallbackForm TASK_RESULT = new CallbackForm() {
        @Override
        public String contentType() {
            return "application/json; charset=utf-8";
        }

        @Override
        public byte[] body(Task task) throws IOException {
            return Json.MAPPER.writeValueAsBytes(TaskResults.answer(task));
        }
    };

    String contentType();

    byte[] body(Task task) throws IOException;
}
