package dev.turnpike.server.api;

import dev.turnpike.protocol.ErrorCode;
import dev.turnpike.protocol.ReportResponse;
import dev.turnpike.server.account.Account;
import dev.turnpike.server.account.Accounts;
import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.Tasks;

/**
 * The {@code /report…} methods (PROTOCOL.md §3.4): recorded as a quality signal, never refunded. One instance per
 * method path, knowing whether it reports a correct or an incorrect solution.
 */
public final class ReportTask implements ApiMethod {

    private final String method;
    private final boolean correct;
    private final KeyCheck keys;
    private final Tasks tasks;
    private final Accounts accounts;

    public ReportTask(String method, KeyCheck keys, Tasks tasks, Accounts accounts) {
        this.method = method;
        this.correct = method.startsWith("reportCorrect");
        this.keys = keys;
        this.tasks = tasks;
        this.accounts = accounts;
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException {
        Account account = keys.checkCached(request);
        Task task = TaskIds.read(request).map(tasks::find).orElse(null);
        if (task == null || task.accountId() != account.id()) {
            throw TaskResults.unknownTask(ErrorCode.ERROR_NO_SUCH_CAPCHA_ID);
        }
        accounts.recordReport(account.id(), task.id().value(), task.type().wireName(), method, correct);
        return ReportResponse.ok();
    }
}
