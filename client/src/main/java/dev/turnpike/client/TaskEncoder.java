package dev.turnpike.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes a {@link TaskRequest} as the protocol's {@code task} object; absent optional fields are left out. */
final class TaskEncoder {

    private TaskEncoder() {
    }

    static ObjectNode encode(TaskRequest request, ObjectMapper json) {
        ObjectNode task = json.createObjectNode();
        task.put("type", request.type());
        switch (request) {
            case TurnstileTask t -> {
                task.put("websiteURL", t.websiteURL());
                task.put("websiteKey", t.websiteKey());
                putIfPresent(task, "action", t.action());
                putIfPresent(task, "cData", t.cData());
                putIfPresent(task, "chlPageData", t.chlPageData());
                putIfPresent(task, "userAgent", t.userAgent());
                putIfPresent(task, "proxy", t.proxy());
            }
            case ChallengeTask c -> {
                task.put("websiteURL", c.websiteURL());
                task.put("proxy", c.proxy());
                if (c.rqData() != null) {
                    ObjectNode rqData = task.putObject("rqData");
                    rqData.put("mode", c.rqData().mode().name());
                    c.rqData().fields().forEach((name, value) -> rqData.set(name, json.valueToTree(value)));
                }
                putIfPresent(task, "userAgent", c.userAgent());
            }
        }
        return task;
    }

    private static void putIfPresent(ObjectNode task, String field, String value) {
        if (value != null) {
            task.put(field, value);
        }
    }
}
