package io.github.rip.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.rip.operations.PasswordHash;
import io.github.rip.support.StartFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The dashboard bound to a public address: refused without a login; with one, nothing but /observe answers without
 * it, a wrong password or token is refused, a browser login needs the CSRF token for actions, and the journal records
 * who acted. Secrets never come back in an answer.
 */
class DashboardSecurityIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String TOKEN = "tok-3f9a1c77e2b84d0c9a5e6f7081b2c3d4e5";

    @TempDir
    Path temp;

    @Test
    void anOpenDashboardOnAPublicAddressStopsTheStartNamingTheSetting() throws Exception {
        Path data = temp.resolve("data");
        PackRunner runner = new PackRunner(data).set("camel.server.host", "0.0.0.0");
        try {
            Throwable failure = catchThrowable(runner::start);
            assertThat(failure).as("the start must be refused").isNotNull();
            assertThat(StartFailure.describe(failure, runner.context())).containsExactly("override property: "
                    + "camel.server.host: '0.0.0.0' is not a loopback address and the dashboard has no login; set "
                    + "rip.dashboard.user and rip.dashboard.password-hash, or rip.dashboard.token-file, or bind to "
                    + "127.0.0.1");
            assertThat(data.resolve("db")).as("refused before the journal was opened").doesNotExist();
        } finally {
            StartFailure.release(runner.context());
            runner.close();
        }
    }

    @Test
    void aPortTakenByAnotherProgramStopsTheStartInsteadOfRunningWithoutDashboardAndHealth() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            PackRunner runner = new PackRunner(temp.resolve("data")).set("camel.server.port",
                    String.valueOf(taken.getLocalPort()));
            try {
                Throwable failure = catchThrowable(runner::start);
                assertThat(failure).as("the start must be refused").isNotNull();
                assertThat(StartFailure.describe(failure, runner.context())).singleElement().asString()
                        .startsWith("override property: camel.server.port: 127.0.0.1:" + taken.getLocalPort()
                                + " cannot be used");
            } finally {
                StartFailure.release(runner.context());
                runner.close();
            }
        }
    }

    @Test
    void onAPublicAddressEveryRequestButObserveNeedsTheLoginAndActionsRecordWhoActed() throws Exception {
        Path tokenFile = Files.writeString(temp.resolve("dashboard-token"), TOKEN + "\n");
        try (PackRunner runner = new PackRunner(temp.resolve("data")).set("camel.server.host", "0.0.0.0")
                .set("rip.dashboard.user", "ops").set("rip.dashboard.password-hash",
                        PasswordHash.of(PASSWORD.toCharArray()))
                .set("rip.dashboard.token-file", tokenFile.toString())
                .set("emulator.exports.customer-groups.every", "0").start()) {
            DashboardClient anonymous = new DashboardClient(runner.baseUrl());
            DashboardClient ops = new DashboardClient(runner.baseUrl()).basic("ops", PASSWORD);

            DashboardClient.Answer refused = anonymous.post("/api/jobs/customer-groups/pause");
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.header("WWW-Authenticate")).get().asString().startsWith("Basic realm=");
            assertThat(anonymous.get("/api/jobs").status()).isEqualTo(401);
            assertThat(anonymous.get("/").status()).isEqualTo(401);
            assertThat(new DashboardClient(runner.baseUrl()).basic("ops", "wrong password").get("/api/jobs").status())
                    .isEqualTo(401);
            assertThat(new DashboardClient(runner.baseUrl()).bearer(TOKEN + "x").get("/api/jobs").status())
                    .isEqualTo(401);
            assertThat(anonymous.get("/observe/health").status()).isEqualTo(200);
            assertThat(anonymous.post("/observe/health").status()).isEqualTo(405);

            DashboardClient.Answer jobs = ops.get("/api/jobs");
            assertThat(jobs.status()).isEqualTo(200);
            assertThat(jobs.header("Authorization")).as("the login is not echoed").isEmpty();
            assertThat(jobs.header("Content-Security-Policy")).get().asString().contains("default-src 'none'");
            assertThat(jobs.header("X-Frame-Options")).contains("DENY");
            assertThat(ops.post("/api/jobs/customer-groups/pause").status()).as("no CSRF token").isEqualTo(403);
            assertThat(anonymous.get("/api/jobs/customer-groups").status()).isEqualTo(401);
            assertThat(ops.get("/api/jobs/customer-groups").json().path("state").asText()).isEqualTo("running");

            assertThat(ops.act("/api/jobs/customer-groups/pause").status()).isEqualTo(200);
            // scripts use the token: no CSRF token needed, a browser never sends it by itself
            DashboardClient script = new DashboardClient(runner.baseUrl()).bearer(TOKEN);
            assertThat(script.post("/api/jobs/customer-groups/resume").status()).isEqualTo(200);

            List<String> actors = new java.util.ArrayList<>();
            script.get("/api/jobs/customer-groups/actions").json()
                    .forEach(a -> actors.add(a.path("actor").asText() + " " + a.path("action").asText()));
            assertThat(actors).containsExactly("token resume", "ops pause");
            String session = ops.get("/api/session").body();
            assertThat(session).contains("\"actor\":\"ops\"").doesNotContain(PASSWORD).doesNotContain(TOKEN)
                    .doesNotContain("pbkdf2");
        }
    }
}
