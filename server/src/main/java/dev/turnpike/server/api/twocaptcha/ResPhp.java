package dev.turnpike.server.api.twocaptcha;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.server.account.Account;
import dev.turnpike.server.account.Accounts;
import dev.turnpike.server.api.ApiException;
import dev.turnpike.server.api.ApiRequest;
import dev.turnpike.server.api.KeyCheck;
import dev.turnpike.server.api.LostTasks;
import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.task.Tasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code res.php} (PROTOCOL.md §9.3): {@code action=get} (one {@code id} or several {@code ids}), {@code get2} (with
 * the price), {@code getbalance}, {@code reportgood} / {@code reportbad}. Any task of the key is readable, whatever
 * dialect created it; unknown, expired and other keys' ids get the same answer.
 */
final class ResPhp {

    private static final int MAX_IDS = 100;

    private final KeyCheck keys;
    private final Tasks tasks;
    private final Accounts accounts;
    private final LostTasks lost;

    ResPhp(KeyCheck keys, Tasks tasks, Accounts accounts, LostTasks lost) {
        this.keys = keys;
        this.tasks = tasks;
        this.accounts = accounts;
        this.lost = lost;
    }

    Answer handle(Params params) throws TwoCaptchaException {
        String key = ClientKey.of(params);
        String action = params.text("action");
        if (action == null) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_EMPTY_ACTION, "action is missing");
        }
        params.flag("json");
        params.flag("header_acao");
        return switch (action) {
            case "get" -> params.text("ids") != null && params.text("id") == null
                    ? several(account(key, true), params.text("ids")) : result(one(account(key, true), params), false);
            case "get2" -> result(one(account(key, true), params), true);
            case "getbalance" -> Answer.bare(Long.toString(accounts.available(account(key, false).id())));
            case "reportgood", "reportbad" -> report(key, params, action);
            default -> throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS, "action " + action
                    + " is not supported: get, get2, getbalance, reportgood and reportbad are");
        };
    }

    /** The key's account; {@code cached} for polling (a revocation takes effect within the key cache's life). */
    private Account account(String key, boolean cached) throws TwoCaptchaException {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("clientKey", key);
        try {
            return cached ? keys.checkCached(new ApiRequest(body, null)) : keys.check(new ApiRequest(body, null));
        } catch (ApiException e) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_KEY_DOES_NOT_EXIST, "The key does not exist");
        }
    }

    /** The task {@code id} names, of this account; lost or unknown ones answer their error. */
    private Task one(Account account, Params params) throws TwoCaptchaException {
        TaskId id = id(params.text("id"));
        Task task = tasks.find(id);
        if (task == null && lost.lost(id, account.id())) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_CAPTCHA_UNSOLVABLE, "The server stopped while this task"
                    + " ran (killed or crashed); the task did not survive and its points were released: submit it again");
        }
        if (task == null || task.accountId() != account.id()) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_WRONG_CAPTCHA_ID, "Task ID does not exist or has expired");
        }
        return task;
    }

    private static TaskId id(String text) throws TwoCaptchaException {
        if (text == null || !text.matches("\\d{1,19}")) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_WRONG_ID_FORMAT, "id must be the task's id, digits only");
        }
        Optional<TaskId> id = TaskId.parse(text);
        if (id.isEmpty()) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_WRONG_CAPTCHA_ID, "Task ID does not exist or has expired");
        }
        return id.get();
    }

    private static Answer result(Task task, boolean withPrice) throws TwoCaptchaException {
        Answer answer = TaskAnswers.of(task);
        if (withPrice && answer.status() == 1) {
            String price = Long.toString(task.price());
            return new Answer(1, answer.request(), answer.text() + "|" + price, answer.extra()).with("price", price);
        }
        return answer;
    }

    /** {@code ids=1,2,3}: each task's answer in order, joined by {@code |} (a token, CAPCHA_NOT_READY or a code). */
    private Answer several(Account account, String ids) throws TwoCaptchaException {
        String[] parts = ids.split(",", -1);
        if (parts.length > MAX_IDS) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS, "ids takes at most " + MAX_IDS + " ids");
        }
        List<String> out = new ArrayList<>();
        for (String part : parts) {
            TaskId id = id(part.strip());
            Task task = tasks.find(id);
            out.add(task == null || task.accountId() != account.id() ? TwoCaptchaError.ERROR_WRONG_CAPTCHA_ID.name()
                    : TaskAnswers.of(task).request());
        }
        return Answer.bare(String.join("|", out));
    }

    private Answer report(String key, Params params, String action) throws TwoCaptchaException {
        Account account = account(key, false);
        Task task = one(account, params);
        accounts.recordReport(account.id(), task.id().value(), task.type().wireName(), action,
                action.equals("reportgood"));
        return Answer.bare("OK_REPORT_RECORDED");
    }
}
