package dev.turnpike.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of {@code /getBalance} (PROTOCOL.md §3.3): points available, as a JSON number.
 *
 * @param errorId          0 on success, 1 on an error
 * @param errorCode        empty on success, else an {@link ErrorCode}'s wire name
 * @param errorDescription empty on success, else what went wrong, in words
 * @param balance          points available: the balance less what unfinished tasks hold
 */
@JsonPropertyOrder({"errorId", "errorCode", "errorDescription", "balance"})
public record BalanceResponse(int errorId, String errorCode, String errorDescription, long balance) implements Envelope {

    /**
     * A successful answer.
     *
     * @param balance points available
     * @return the answer
     */
    public static BalanceResponse ok(long balance) {
        return new BalanceResponse(0, "", "", balance);
    }
}
