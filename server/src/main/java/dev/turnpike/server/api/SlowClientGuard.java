package dev.turnpike.server.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Cuts off a client that takes longer than its {@link ReadDeadlines} to send a request head or body: its connection
 * is closed, so a thousand tricklers hold a thousand sockets for seconds, not a worker or a buffer for minutes.
 * Installed both as the connector's {@link Connection.Listener} (a head timer per connection) and as the handler
 * in front of everything (the head arrived; a body timer until its last byte is read).
 */
final class SlowClientGuard extends Handler.Wrapper implements Connection.Listener {

    private final ReadDeadlines deadlines;
    private final ScheduledExecutorService timers;
    /** The head timer of each open connection that has no request in hand. */
    private final Map<Connection, Future<?>> headTimers = new ConcurrentHashMap<>();

    SlowClientGuard(ReadDeadlines deadlines, ScheduledExecutorService timers, Handler next) {
        super(next);
        this.deadlines = deadlines;
        this.timers = timers;
    }

    @Override
    public void onOpened(Connection connection) {
        awaitHead(connection);
    }

    @Override
    public void onClosed(Connection connection) {
        cancel(headTimers.remove(connection));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        cancel(headTimers.remove(connection));
        Future<?> bodyTimer = RequestBody.hasBody(request) ? cutOffAfter(connection, deadlines.body().toMillis()) : null;
        Request guarded = bodyTimer == null ? request : new BodyRead(request, bodyTimer);
        Callback answered = Callback.from(callback, () -> {
            cancel(bodyTimer);
            if (connection.getEndPoint().isOpen()) {
                awaitHead(connection); // keep-alive: the next request's head has its own deadline
            }
        });
        return super.handle(guarded, response, answered);
    }

    private void awaitHead(Connection connection) {
        cancel(headTimers.put(connection, cutOffAfter(connection, deadlines.head().toMillis())));
    }

    private Future<?> cutOffAfter(Connection connection, long millis) {
        return timers.schedule(() -> connection.getEndPoint().close(), millis, TimeUnit.MILLISECONDS);
    }

    private static void cancel(Future<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** The request as the handlers see it; its body timer stops at the body's last chunk. */
    private static final class BodyRead extends Request.Wrapper {
        private final Future<?> timer;

        BodyRead(Request request, Future<?> timer) {
            super(request);
            this.timer = timer;
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = super.read();
            if (chunk != null && chunk.isLast()) {
                timer.cancel(false);
            }
            return chunk;
        }
    }
}
