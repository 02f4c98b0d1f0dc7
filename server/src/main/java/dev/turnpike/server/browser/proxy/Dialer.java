package dev.turnpike.server.browser.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;

/** How a relay reaches a target the browser asked for: through the task's proxy, or directly after a check. */
interface Dialer {

    /**
     * A connected channel to {@code host:port} (auto-read off), or a failure; a target the address policy refuses
     * fails with {@link RefusedTargetException} and no connection is opened.
     */
    Promise<Channel> dial(EventLoop loop, String host, int port);
}
