package dev.turnpike.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The answer of {@code /getBalance} (PROTOCOL.md §3.3): points available, as a JSON number. */
@JsonPropertyOrder({"errorId", "errorCode", "errorDescription", "balance"})
public record BalanceResponse(int errorId, String errorCode, String errorDescription, long balance) implements Envelope {

    public static BalanceResponse ok(long balance) {
        return new BalanceResponse(0, "", "", balance);
    }
}
