package dev.turnpike.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.lab.core.SitekeyMode;
import dev.turnpike.lab.core.SiteverifyFault;
import org.junit.jupiter.api.Test;

class LabMainTest {

    @Test
    void parsesItsFewOptionsAndRefusesOthers() {
        LabOptions options = LabMain.parse(new String[] {"--port", "0", "--admin-port", "0", "--seed", "42"});
        assertThat(options.seed()).isEqualTo(42L);
        assertThatThrownBy(() -> LabMain.parse(new String[] {"--bogus", "1"})).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> LabMain.parse(new String[] {"--port", "x"})).hasMessageContaining("takes a number");
        assertThatThrownBy(() -> LabMain.parse(new String[] {"--port", "70000"})).hasMessageContaining("out of range");
    }

    @Test
    void bannerPrintsPortsFlagsPinAndAdminAddress() {
        try (Lab lab = Lab.start(LabOptions.defaults().withSeed(5))) {
            LabMain.addDemo(lab);
            String banner = lab.banner();
            assertThat(banner).contains("127.0.0.1:" + lab.httpsPort()).contains("127.0.0.1:" + lab.httpPort())
                    .contains("http://127.0.0.1:" + lab.adminPort())
                    .contains("--host-resolver-rules=\"MAP challenges.cloudflare.com 127.0.0.1:" + lab.httpsPort())
                    .contains("MAP * ^NOTFOUND, EXCLUDE localhost\"")
                    .contains("--ignore-certificate-errors-spki-list=" + lab.spkiPin())
                    .contains("forward proxy").contains("https://demo.lab.test/");
        }
    }

    @Test
    void adminJsonRegistersASitekeyWithModeAndHostileModes() throws Exception {
        try (Lab lab = Lab.start(LabOptions.defaults())) {
            LabHttp http = new LabHttp(lab);
            var created = http.admin("POST", "/sitekeys", """
                    {"sitekey":"0x4AAAAAAAjsonKey","secret":"0x4AAAAAAAjsonSecret","hostnames":["shop.lab.test"],
                     "mode":"non-interactive","powBits":10,"hostile":{"siteverifyFault":"internal-error"}}""");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            var key = lab.context().sitekeys().find("0x4AAAAAAAjsonKey").orElseThrow();
            assertThat(key.mode()).isEqualTo(SitekeyMode.NON_INTERACTIVE);
            assertThat(key.powBits()).isEqualTo(10);
            assertThat(key.hostile().siteverifyFault()).isEqualTo(SiteverifyFault.INTERNAL_ERROR);
            var changed = http.admin("PUT", "/sitekeys/0x4AAAAAAAjsonKey/hostile", "{\"alwaysFail\":true}");
            assertThat(changed.statusCode()).isEqualTo(200);
            assertThat(lab.context().sitekeys().find("0x4AAAAAAAjsonKey").orElseThrow().hostile().alwaysFail()).isTrue();
            assertThat(http.admin("PUT", "/sitekeys/nope/hostile", "{}").statusCode()).isEqualTo(404);
            assertThat(http.admin("POST", "/sitekeys", "{\"sitekey\":\"x\"}").statusCode()).isEqualTo(400);
            var events = http.admin("GET", "/events?since=1", null).body();
            assertThat(events).contains("\"seq\":2").doesNotContain("\"seq\":1,");
        }
    }
}
