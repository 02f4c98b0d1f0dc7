package dev.turnpike.client;

/** Answers in Turnpike's own shapes (PROTOCOL.md §3), for tests. */
final class Answers {

    static final String CREATED = "{\"errorId\":0,\"errorCode\":\"\",\"errorDescription\":\"\",\"taskId\":\"7304012290153\"}";
    static final String PROCESSING = "{\"errorId\":0,\"errorCode\":\"\",\"errorDescription\":\"\",\"status\":\"processing\"}";
    static final String TOKEN_READY = "{\"errorId\":0,\"errorCode\":\"\",\"errorDescription\":\"\",\"status\":\"ready\","
            + "\"solution\":{\"token\":\"0.tok\",\"gRecaptchaResponse\":\"0.tok\",\"userAgent\":\"UA-1\"},"
            + "\"taskId\":\"7304012290153\",\"cost\":\"15\",\"createTime\":1700000000,\"endTime\":1700000012}";
    static final String UNAVAILABLE = "{\"errorId\":1,\"errorCode\":\"ERROR_SERVICE_UNAVALIABLE\","
            + "\"errorDescription\":\"Service is overloaded\"}";

    private Answers() {
    }

    static String error(String code, String description) {
        return "{\"errorId\":1,\"errorCode\":\"" + code + "\",\"errorDescription\":\"" + description + "\"}";
    }
}
