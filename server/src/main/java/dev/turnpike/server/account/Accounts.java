package dev.turnpike.server.account;

import java.util.List;
import java.util.Optional;

/** Accounts and their client keys: checking a key, the balance, and the operator's commands. */
public interface Accounts {

    /** The active account of this key; empty for an unknown or revoked key. */
    Optional<Account> authenticate(String clientKey);

    /** Points available: balance minus what open tasks hold. */
    long available(long accountId);

    CreatedKey createKey(String name, long points);

    List<AccountInfo> list();

    /**
     * Adds points (a TOPUP ledger entry).
     *
     * @param keyOrPrefix the full key, or the prefix {@link #list} shows
     * @return the account's new available balance
     * @throws IllegalArgumentException no single account matches
     */
    long topUp(String keyOrPrefix, long points);

    /** Revokes a key; its account keeps its ledger. @throws IllegalArgumentException no single account matches */
    AccountInfo revoke(String keyOrPrefix);

    /** Every ledger entry of an account, oldest first. */
    List<LedgerEntry> ledger(long accountId);

    /** Records a client's report on a solution. */
    void recordReport(long accountId, long taskId, String taskType, String method, boolean correct);
}
