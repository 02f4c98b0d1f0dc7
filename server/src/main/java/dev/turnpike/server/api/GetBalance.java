package dev.turnpike.server.api;

import dev.turnpike.protocol.BalanceResponse;
import dev.turnpike.server.account.Account;
import dev.turnpike.server.account.Accounts;

/** {@code POST /getBalance}: the points available (balance minus what running tasks hold). */
public final class GetBalance implements ApiMethod {

    private final KeyCheck keys;
    private final Accounts accounts;

    public GetBalance(KeyCheck keys, Accounts accounts) {
        this.keys = keys;
        this.accounts = accounts;
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException {
        Account account = keys.check(request);
        return BalanceResponse.ok(accounts.available(account.id()));
    }
}
