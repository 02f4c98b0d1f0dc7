package dev.turnpike.server.solver.turnstile;

import dev.turnpike.server.browser.cdp.CdpClosedException;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.pool.PageFrame;
import dev.turnpike.server.browser.pool.ContextLease;
import dev.turnpike.server.solver.SolveException;
import dev.turnpike.server.solver.widget.TrustedClick;
import dev.turnpike.server.solver.widget.WidgetControl;
import dev.turnpike.server.task.FailReason;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Full mode, when the page's widget token expired before we could return it: the widget is renewed the way the page
 * rendered it to be ({@code refresh-expired}), and its next token is the one returned. {@code auto}: the widget
 * renews itself, nothing to do. {@code manual}: the widget shows its "Refresh" link, clicked as a person would.
 * {@code never}: the widget stays expired, so it is reset through the page's own {@code turnstile.reset} (what the
 * site's code does from its {@code expired-callback}; a person would reload the page). When the widget did not say
 * its mode, its Refresh link is clicked if it shows one, else it is reset. A token that keeps expiring before it can
 * be returned ends the task after {@link #MOST} renewals, never with the stale token.
 */
final class TokenRenewal {

    /** Renewals per task. */
    static final int MOST = 3;
    private static final Logger log = LoggerFactory.getLogger(TokenRenewal.class);

    private final ContextLease lease;
    private final WidgetWatch watch;
    private final PageWidgets pageWidgets;
    private final TrustedClick click;
    private final Duration findFor;
    private int renewals;

    TokenRenewal(ContextLease lease, WidgetWatch watch, PageWidgets pageWidgets, TrustedClick click,
                 Duration findFor) {
        this.lease = lease;
        this.watch = watch;
        this.pageWidgets = pageWidgets;
        this.click = click;
        this.findFor = findFor;
    }

    /** The page's token of widget {@code shortId} expired unreturned: renews the widget (its next token follows). */
    void renew(String shortId) throws SolveException, InterruptedException {
        if (++renewals > MOST) {
            throw new SolveException(FailReason.WIDGET_ERROR, "the page's Turnstile token expired before it could be"
                    + " returned, " + MOST + " times over (its lifetime is shorter than a solve)");
        }
        Optional<String> mode = pageWidgets.refreshExpiredOf(shortId);
        log.debug("the page's token of widget {} expired unreturned (refresh-expired {}): renewing it", shortId,
                mode.orElse("unknown"));
        switch (mode.orElse("")) {
            case "auto" -> { } // the widget runs again by itself
            case "manual" -> {
                if (!clickRefresh(shortId, findFor)) {
                    reset(shortId);
                }
            }
            case "never" -> reset(shortId);
            default -> {
                if (!clickRefresh(shortId, Duration.ZERO)) {
                    reset(shortId);
                }
            }
        }
    }

    /** Clicks the widget's Refresh link once it shows, within {@code within}; false when it shows none. */
    private boolean clickRefresh(String shortId, Duration within) throws InterruptedException {
        Optional<PageFrame> frame = watch.frameOf(shortId);
        if (frame.isEmpty()) {
            return false;
        }
        try {
            if (within.isZero()) {
                return click.clickIfShown(lease.page(), lease.frames(), frame.get(), WidgetControl.EXPIRED_REFRESH);
            }
            click.click(lease.page(), lease.frames(), frame.get(), within, WidgetControl.EXPIRED_REFRESH);
            return true;
        } catch (CdpClosedException e) {
            throw e;
        } catch (CdpException e) {
            log.debug("the expired widget {} could not be refreshed by its link: {}", shortId, e.getMessage());
            return false;
        }
    }

    private void reset(String shortId) throws SolveException, InterruptedException {
        if (!PageToken.reset(lease, watch, shortId)) {
            throw new SolveException(FailReason.WIDGET_ERROR, "the page's Turnstile token expired before it could be"
                    + " returned, and the page offers no way to renew its widget");
        }
    }
}
