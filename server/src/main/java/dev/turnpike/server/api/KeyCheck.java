package dev.turnpike.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.protocol.ErrorCode;
import dev.turnpike.server.account.Account;
import dev.turnpike.server.account.Accounts;
import dev.turnpike.server.account.ClientKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the account of a request's key: {@code clientKey} in the body, else the {@code X-API-Key} header.
 * {@link #check} always asks the store; {@link #checkCached} trusts a recent answer for a few seconds, so that
 * polling {@code getTaskResult} needs no database round trip (a revocation takes effect within that time).
 */
public final class KeyCheck {

    private record Cached(Account account, Instant until) {
    }

    private final Accounts accounts;
    private final Clock clock;
    private final Duration ttl;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public KeyCheck(Accounts accounts, Clock clock, Duration ttl) {
        this.accounts = accounts;
        this.clock = clock;
        this.ttl = ttl;
    }

    public Account check(ApiRequest request) throws ApiException {
        return accounts.authenticate(key(request)).orElseThrow(KeyCheck::unknown);
    }

    public Account checkCached(ApiRequest request) throws ApiException {
        String key = key(request);
        String hash = ClientKeys.hash(key);
        Instant now = clock.instant();
        Cached hit = cache.get(hash);
        if (hit != null && now.isBefore(hit.until())) {
            return hit.account();
        }
        Account account = accounts.authenticate(key).orElseThrow(KeyCheck::unknown);
        if (cache.size() > 10_000) {
            cache.clear(); // bounded: a flood of distinct keys costs lookups, not memory
        }
        cache.put(hash, new Cached(account, now.plus(ttl)));
        return account;
    }

    private static String key(ApiRequest request) throws ApiException {
        JsonNode node = request.field("clientKey");
        if (node != null && !node.isNull()) {
            if (!node.isTextual()) {
                throw new ApiException(ErrorCode.ERROR_BAD_REQUEST, "clientKey must be a string");
            }
            return node.textValue();
        }
        if (request.apiKeyHeader() != null) {
            return request.apiKeyHeader();
        }
        throw unknown();
    }

    private static ApiException unknown() {
        return new ApiException(ErrorCode.ERROR_KEY_DOES_NOT_EXIST, "Account authorization key not found in the system");
    }
}
