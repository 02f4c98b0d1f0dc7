package dev.turnpike.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.browser.Eventually;
import dev.turnpike.server.net.HostResolver;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.testing.TestServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A listening socket on loopback stands for a refused address: it must never see a connection, neither when the
 * target is refused at createTask nor when a callback's name resolves to it by the time the task ends (rebinding).
 */
class RefusedAddressesAreNeverContactedTest {

    @Test
    void refusedTargetsAndReboundCallbacksAreNeverConnectedTo() throws Exception {
        AtomicInteger localhostLookups = new AtomicInteger();
        HostResolver fake = TestServer.fakeResolver();
        // "localhost" looks public at createTask, then resolves to loopback when the callback is due.
        HostResolver rebinding = host -> host.equals("localhost")
                ? List.of(InetAddress.getByName(localhostLookups.getAndIncrement() == 0 ? "203.0.113.9" : "127.0.0.1"))
                : fake.resolve(host);
        try (ServerSocket trap = new ServerSocket();
             TestServer server = TestServer.builder().resolver(rebinding).start()) {
            trap.bind(new InetSocketAddress("127.0.0.1", 0));
            trap.setSoTimeout(500);
            String key = server.createKey(100);
            String trapUrl = "http://127.0.0.1:" + trap.getLocalPort() + "/";
            JsonNode refused = server.client().call("createTask", Map.of("clientKey", key, "callbackUrl", trapUrl,
                    "task", Map.of("type", "TurnstileTaskProxyless", "websiteURL", trapUrl, "websiteKey", "0x4AAAAAAAB")));
            assertThat(refused.get("errorCode").textValue()).isEqualTo("ERROR_BAD_REQUEST");

            JsonNode created = server.client().call("createTask", Map.of("clientKey", key,
                    "callbackUrl", "http://localhost:" + trap.getLocalPort() + "/cb",
                    "task", Map.of("type", "TurnstileTaskProxyless", "websiteURL", "https://site.example", "websiteKey", "0x4AAAAAAAB")));
            assertThat(created.get("errorId").intValue()).as("%s", created).isZero();
            String id = created.get("taskId").textValue();
            server.standalone().tasks().find(new TaskId(Long.parseLong(id))).ended().get(30, TimeUnit.SECONDS);
            // The callback is sent after the task ended, on its own thread: its lookup may come a moment later.
            Eventually.await("the callback's name looked up again at send", Duration.ofSeconds(10),
                    () -> localhostLookups.get() >= 2);
            assertThat(localhostLookups.get()).as("checked again at send").isEqualTo(2);
            assertThatThrownBy(trap::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }
}
