package dev.turnpike.server.api.twocaptcha;

import static dev.turnpike.server.api.twocaptcha.TwoCaptchaHttp.params;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.server.api.twocaptcha.TwoCaptchaHttp.Form;
import dev.turnpike.server.role.ApiNode;
import dev.turnpike.server.task.Dialect;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.testing.ClusterFixture;
import dev.turnpike.server.testing.FakeSolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** in.php and res.php on an API node of a cluster: the task in the shared PostgreSQL queue, solved by a solver node. */
class TwoCaptchaClusterTest {

    private static ClusterFixture cluster;

    @BeforeAll
    static void createCluster() {
        cluster = ClusterFixture.create();
    }

    @AfterAll
    static void dropCluster() throws Exception {
        cluster.close();
    }

    @Test
    void anApiNodeServesTheDialectOverTheSharedQueue() throws Exception {
        ApiNode api = cluster.api();
        cluster.solver(FakeSolver.forAllTypes(), 1);
        String key = cluster.accounts().createKey("in-php", 100).key();
        TwoCaptchaHttp http = new TwoCaptchaHttp(api.address());
        Thread.sleep(1_100); // the API node reads the node list at most once a second

        String created = http.send("/in.php", Form.POST_FORM, params("key", key, "method", "turnstile",
                "sitekey", "0x4AAAAAAAB", "pageurl", "https://site.example/")).text();
        assertThat(created).matches("OK\\|\\d+");
        String id = created.substring(3);
        long end = System.nanoTime() + 30_000_000_000L;
        String answer = "CAPCHA_NOT_READY";
        while (answer.equals("CAPCHA_NOT_READY") && System.nanoTime() < end) {
            Thread.sleep(100);
            answer = http.send("/res.php", Form.GET_QUERY, params("key", key, "action", "get", "id", id)).text();
        }

        assertThat(answer).isEqualTo("OK|" + FakeSolver.TOKEN);
        assertThat(api.tasks().find(new TaskId(Long.parseLong(id))).dialect()).as("read back from PostgreSQL")
                .isEqualTo(Dialect.TWO_CAPTCHA);
        assertThat(cluster.info(key).balance()).isEqualTo(100 - 15);
    }
}
