package dev.turnpike.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of the {@code /report…} methods (PROTOCOL.md §3.4).
 *
 * @param errorId          0 on success, 1 on an error
 * @param errorCode        empty on success, else an {@link ErrorCode}'s wire name
 * @param errorDescription empty on success, else what went wrong, in words
 * @param status           {@code success} when the report was recorded
 */
@JsonPropertyOrder({"errorId", "errorCode", "errorDescription", "status"})
public record ReportResponse(int errorId, String errorCode, String errorDescription, String status) implements Envelope {

    /**
     * A report recorded.
     *
     * @return the answer
     */
    public static ReportResponse ok() {
        return new ReportResponse(0, "", "", "success");
    }
}
