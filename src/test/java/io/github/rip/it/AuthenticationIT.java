package io.github.rip.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;

import io.github.rip.emulator.AppRegistration;
import io.github.rip.emulator.EmulatorMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** OAuth end to end: msal4j against the emulator's token endpoint over HTTPS, tokens cached, renewed and refused. */
class AuthenticationIT {

    private static final Path SAMPLE = Path.of("docs/samples/customer-groups.csv");

    @TempDir
    Path data;

    @Test
    void many_enqueues_use_one_token() throws Exception {
        try (PackRunner runner = new PackRunner(data).start()) {
            Path inbox = runner.job("customer-groups").resolve("inbox");
            for (int i = 1; i <= 5; i++) {
                Files.writeString(inbox.resolve("groups-" + i + ".csv"),
                        Files.readString(SAMPLE) + (90 + i) + ",Group " + i + ",,Net30\n");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> IntStream.rangeClosed(1, 5)
                    .allMatch(i -> Files.exists(runner.job("customer-groups").resolve("processed/groups-" + i + ".csv"))));

            assertThat(runner.tokens().tokensAcquired()).isEqualTo(1);
            assertThat(runner.emulator().requests().stream().filter(r -> r.contains("/oauth2/v2.0/token"))).hasSize(1);
            assertThat(runner.emulator().requests().stream().filter(r -> r.contains("/api/connector/enqueue"))).hasSize(5);
        }
    }

    @Test
    void an_app_not_enabled_on_the_recurring_job_gets_a_clear_failure_report() throws Exception {
        try (PackRunner runner = new PackRunner(data)
                .set("emulator.config", "classpath:it/emulator-app-not-enabled.yaml").start()) {
            Path job = runner.job("customer-groups");
            Files.copy(SAMPLE, job.resolve("inbox/customer-groups.csv"));

            Path report = job.resolve("failed/customer-groups.csv.report.txt");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(report));

            assertThat(Files.readString(report)).contains("HTTP status: 401").contains("not authorized")
                    .contains("Set up authorization policy");
            assertThat(runner.tokens().tokensAcquired()).as("renewed once after the first 401").isEqualTo(2);
            assertThat(runner.emulator().messages()).isEmpty();
        }
    }

    @Test
    void a_certificate_credential_works_instead_of_a_secret() throws Exception {
        ClientCertificate certificate = ClientCertificate.create(data.resolve("client.p12"), "p12-password");
        String appId = "0f0e0d0c-cert-client";
        try (StandaloneEmulator emulator = new StandaloneEmulator(data.resolve("emulator"), b -> { }).start()) {
            emulator.get().registerApp(AppRegistration.withCertificate(appId, certificate.certificate()));
            emulator.get().enableApp(activity("customer-groups"), appId);
            try (PackRunner runner = emulator.configure(new PackRunner(data.resolve("runner")))
                    .set("d365.client-id", appId)
                    .set("d365.client-secret", "")
                    .set("d365.certificate.path", certificate.p12().toString())
                    .set("d365.certificate.password", certificate.password()).start()) {
                Path job = runner.job("customer-groups");
                Files.copy(SAMPLE, job.resolve("inbox/customer-groups.csv"));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> Files.exists(job.resolve("processed/customer-groups.csv")));

                EmulatorMessage received = emulator.get().messages().get(0);
                assertThat(received.appId()).isEqualToIgnoringCase(appId);
            }
        }
    }

    @Test
    void a_token_d365_no_longer_accepts_is_renewed_once_and_the_call_repeated() throws Exception {
        Path emulatorData = data.resolve("emulator");
        StandaloneEmulator emulator = new StandaloneEmulator(emulatorData, b -> { }).start();
        try (PackRunner runner = emulator.configure(new PackRunner(data.resolve("runner"))).start()) {
            Path job = runner.job("customer-groups");
            Files.copy(SAMPLE, job.resolve("inbox/first.csv"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(job.resolve("processed/first.csv")));

            // a new signing key: every token issued before is now invalid, as after a key rollover in Entra ID
            emulator.stop();
            deleteTree(emulatorData.resolve("keys"));
            emulator.start();

            Files.writeString(job.resolve("inbox/second.csv"), Files.readString(SAMPLE).replace("Net", "NET"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(job.resolve("processed/second.csv")));
            assertThat(runner.tokens().tokensAcquired()).isEqualTo(2);
        } finally {
            emulator.close();
        }
    }

    static String activity(String job) throws Exception {
        java.util.Properties props = new java.util.Properties();
        try (var in = Files.newBufferedReader(Path.of("application.properties"))) {
            props.load(in);
        }
        return props.getProperty("import." + job + ".activity-id").trim();
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
