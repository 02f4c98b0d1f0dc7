package dev.turnpike.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The answer of the {@code /report…} methods (PROTOCOL.md §3.4). */
@JsonPropertyOrder({"errorId", "errorCode", "errorDescription", "status"})
public record ReportResponse(int errorId, String errorCode, String errorDescription, String status) implements Envelope {

    public static ReportResponse ok() {
        return new ReportResponse(0, "", "", "success");
    }
}
