package dev.turnpike.server.solver.turnstile;

import dev.turnpike.server.browser.pool.ContextLease;
import dev.turnpike.server.browser.pool.PageFrame;
import dev.turnpike.server.task.TaskSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Full mode's dealings with the page's own widgets, from the render parameters {@link WidgetParamsCapture} learns:
 * it says what the solved widget was rendered with (and where that differs from the task), and after a retryable
 * failure of the page's widget it renders one more widget of the same sitekey, action, cData and chlPageData on
 * the page, once. We render at most one widget per task (this one or the fallback): a failure of a widget we
 * rendered is final.
 *
 * <p>When the task names an action or cData other than the page's widget uses, the page's widget is still solved as
 * the site renders it: the site's backend verifies its own action and cData, so a token with the task's would be
 * refused there.
 */
final class PageWidgets {

    private static final Logger log = LoggerFactory.getLogger(PageWidgets.class);

    private final ContextLease lease;
    private final WidgetWatch watch;
    private final WidgetParamsCapture capture;
    private final TaskSpec.Turnstile task;
    private final Map<String, RenderParams> known = new HashMap<>();
    private boolean rendered;
    private boolean fallback;

    private PageWidgets(ContextLease lease, WidgetWatch watch, WidgetParamsCapture capture, TaskSpec.Turnstile task) {
        this.lease = lease;
        this.watch = watch;
        this.capture = capture;
        this.task = task;
    }

    /** Starts capturing the parameters of the page's widgets; call before the page navigates. */
    static PageWidgets install(ContextLease lease, WidgetWatch watch, TaskSpec.Turnstile task) {
        return new PageWidgets(lease, watch, WidgetParamsCapture.install(lease), task);
    }

    /** The page showed no widget of the task's sitekey: renders one with the task's parameters. */
    void renderFallback() throws InterruptedException {
        log.debug("no widget of the task's sitekey on {}: rendering one", task.websiteUrl().getHost());
        fallback = true;
        render(task.action(), task.cData(), task.chlPageData());
    }

    /**
     * Whether this widget of the sitekey was rendered with another action than the one the task names (a page may
     * show the same sitekey twice, e.g. login and signup, the one wanted rendered later): its token is kept aside
     * while the page may still show the wanted one. False when the task names no action or the parameters are unknown.
     */
    boolean actionDiffers(String shortId) throws InterruptedException {
        if (task.action() == null) {
            return false;
        }
        Optional<RenderParams> solved = paramsOf(shortId);
        boolean differs = solved.isPresent() && !task.action().equalsIgnoreCase(String.valueOf(solved.get().action()));
        if (differs) {
            log.debug("a widget of {} with action {} solved; waiting a little for one with the task's action {}",
                    task.websiteKey(), RenderParams.shown(solved.get().action()), RenderParams.shown(task.action()));
        }
        return differs;
    }

    /** Whether a widget we rendered ({@link #renderFallback}) was asked for. */
    boolean fallbackRendered() {
        return fallback;
    }

    /** The {@code refresh-expired} the page rendered this widget with, when the widget was told it. */
    Optional<String> refreshExpiredOf(String shortId) throws InterruptedException {
        return paramsOf(shortId).map(RenderParams::refreshExpired);
    }

    /** Says, at debug level, what the widget that gave the token was rendered with. */
    void solved(String shortId) throws InterruptedException {
        if (!log.isDebugEnabled()) {
            return; // reading the parameters costs two round trips to the widget's renderer
        }
        Optional<RenderParams> found = paramsOf(shortId);
        if (found.isEmpty()) {
            log.debug("solved a widget of {} on {} whose render parameters were not captured", task.websiteKey(),
                    task.websiteUrl().getHost());
            return;
        }
        RenderParams params = found.get();
        log.debug("solved the widget of {} on {} rendered with {}", params.sitekey(), task.websiteUrl().getHost(),
                params.describe());
        boolean otherAction = task.action() != null && !Objects.equals(task.action(), params.action());
        boolean otherCData = task.cData() != null && !Objects.equals(task.cData(), params.cData());
        if (otherAction || otherCData) {
            log.debug("the task asked for action={} cData={}; the token carries the page's, which the site verifies",
                    RenderParams.shown(task.action()), RenderParams.shown(task.cData()));
        }
    }

    /**
     * After a failure of a widget ({@code code}, a Turnstile error code): renders the page's widget again with its
     * captured parameters, when the failure may pass on a second try, the failing widget is the page's, its
     * parameters are known, and we have not rendered a widget yet.
     *
     * @return whether a widget was rendered (the task goes on)
     */
    boolean renderAgain(String shortId, String code) throws InterruptedException {
        if (rendered || !WidgetErrors.retryable(code)) {
            return false;
        }
        Optional<RenderParams> found = paramsOf(shortId);
        if (found.isEmpty() || !found.get().sitekey().equals(task.websiteKey())) {
            return false;
        }
        RenderParams params = found.get();
        log.debug("the page's widget of {} on {} failed with {}: rendering it once more with {}", params.sitekey(),
                task.websiteUrl().getHost(), code, params.describe());
        render(params.action(), params.cData(), params.chlPageData());
        return true;
    }

    /**
     * Kept once read: a widget keeps its parameters through its reset and its runs, while its iframe (where they are
     * read) is replaced at each run.
     */
    private Optional<RenderParams> paramsOf(String shortId) throws InterruptedException {
        RenderParams kept = known.get(shortId);
        if (kept != null) {
            return Optional.of(kept);
        }
        Optional<PageFrame> frame = watch.frameOf(shortId);
        Optional<RenderParams> read = frame.isEmpty() ? Optional.empty() : capture.of(frame.get());
        read.ifPresent(params -> known.put(shortId, params));
        return read;
    }

    /** In the page's main world, as the page itself would (WidgetPage.renderFallback). */
    private void render(String action, String cData, String chlPageData) throws InterruptedException {
        rendered = true;
        lease.page().call("Runtime.evaluate", lease.page().params().put("expression",
                WidgetPage.renderFallback(task.websiteKey(), action, cData, chlPageData, watch.tag())));
    }
}
