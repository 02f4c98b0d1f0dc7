package dev.turnpike.lab.proxy;

/** What the proxy does with a client once its credentials are read; decided by {@link ProxyCore#admit}. */
sealed interface Admission {

    /** Right credentials, no connection-level fault: go on (the account may still carry {@code DROP}
     * or {@code BAD_GATEWAY}, which act once the target is named). */
    record Admit(ProxyAccount account) implements Admission {}

    /** Missing, unknown or wrong credentials, or the {@code WRONG_CREDENTIALS} fault: answer 407 / auth failure. */
    record Deny() implements Admission {}

    /** The {@code REFUSE} fault: close at once without an answer. */
    record Refuse() implements Admission {}

    /** The {@code STALL} fault: keep the connection, read and discard, never answer. */
    record Stall() implements Admission {}
}
