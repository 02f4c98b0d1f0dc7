package dev.turnpike.lab.turnstile;

/** Siteverify's error codes (LAB.md L2), in the order its checks run. */
public enum SiteverifyError {
    BAD_REQUEST("bad-request"),
    MISSING_INPUT_SECRET("missing-input-secret"),
    INVALID_INPUT_SECRET("invalid-input-secret"),
    MISSING_INPUT_RESPONSE("missing-input-response"),
    INVALID_INPUT_RESPONSE("invalid-input-response"),
    TIMEOUT_OR_DUPLICATE("timeout-or-duplicate"),
    /** Only from the {@code siteverifyFaults} hostile mode. */
    INTERNAL_ERROR("internal-error");

    private final String wire;

    SiteverifyError(String wire) {
        this.wire = wire;
    }

    /** The code as siteverify writes it in {@code error-codes}. */
    public String wire() {
        return wire;
    }
}
