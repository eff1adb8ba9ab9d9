package io.github.rip.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;

import io.github.rip.auth.AuthStatus;
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
    void an_app_d365_does_not_let_in_is_reported_once_and_its_file_waits_in_the_inbox() throws Exception {
        try (LogCapture log = new LogCapture();
             PackRunner runner = new PackRunner(data)
                     .set("emulator.config", "classpath:it/emulator-app-not-enabled.yaml").start()) {
            Path job = runner.job("customer-groups");
            Files.copy(SAMPLE, job.resolve("inbox/customer-groups.csv"));

            await().atMost(Duration.ofSeconds(30)).until(() -> runner.journal()
                    .latest("customer-groups", "customer-groups.csv").map(r -> r.attempts() >= 3).orElse(false));

            assertThat(log.count("ERROR", "D365 authentication failed", "not authorized",
                    "Microsoft Entra ID applications", "Set up authorization policy")).isEqualTo(1);
            assertThat(job.resolve("inbox/customer-groups.csv")).exists();
            assertThat(filesIn(job.resolve("failed"))).isEmpty();
            assertThat(runner.tokens().tokensAcquired()).as("a fresh token is tried before giving up").isGreaterThan(1);
            assertThat(runner.emulator().messages()).isEmpty();
        }
    }

    @Test
    void a_wrong_client_secret_is_reported_once_and_files_wait_in_the_inbox_until_it_is_fixed() throws Exception {
        String wrongSecret = "wrong-secret-" + java.util.UUID.randomUUID();
        try (StandaloneEmulator emulator = new StandaloneEmulator(data.resolve("emulator"), b -> { }).start();
             LogCapture log = new LogCapture();
             PackRunner runner = emulator.configure(new PackRunner(data.resolve("runner")))
                     .set("d365.client-secret", wrongSecret)
                     .set("d365.token.retry-refused-after", "200ms")
                     .set("rip.export.poll-interval", "300").start()) {
            Path job = runner.job("customer-groups");
            for (int i = 1; i <= 3; i++) {
                Files.writeString(job.resolve("inbox/groups-" + i + ".csv"),
                        Files.readString(SAMPLE) + (90 + i) + ",Group " + i + ",,Net30\n");
            }
            // every file tried three times (backoff 1 s, 2 s), export polls every 300 ms meanwhile
            await().atMost(Duration.ofSeconds(30)).until(() -> IntStream.rangeClosed(1, 3).allMatch(i -> runner.journal()
                    .latest("customer-groups", "groups-" + i + ".csv").map(r -> r.attempts() >= 3).orElse(false)));

            assertThat(log.count("ERROR", "d365.client-secret", "D365_CLIENT_SECRET_FILE", "AADSTS7000215")).isEqualTo(1);
            // msal4j's own WARN per refused token request is left to the logging configuration (logger.msal.level)
            assertThat(log.lines()).filteredOn(line -> line.startsWith("ERROR") || line.startsWith("WARN"))
                    .filteredOn(line -> !line.contains("Execution of class com.microsoft.aad.msal4j"))
                    .as("nothing per file or per poll").hasSize(1);
            assertThat(filesIn(job.resolve("inbox"))).hasSize(3);
            assertThat(filesIn(job.resolve("failed"))).isEmpty();
            AuthStatus auth = runner.context().getRegistry().lookupByNameAndType("d365Auth", AuthStatus.class);
            assertThat(auth.current()).hasValueSatisfying(p -> assertThat(p.code()).isEqualTo("AADSTS7000215"));

            // the app registration gets the secret the runner sends
            emulator.get().registerApp(AppRegistration.withSecret(StandaloneEmulator.CLIENT_ID, wrongSecret));
            await().atMost(Duration.ofSeconds(30)).until(() -> IntStream.rangeClosed(1, 3)
                    .allMatch(i -> Files.exists(job.resolve("processed/groups-" + i + ".csv"))));

            assertThat(log.count("INFO", "D365 authentication works again")).isEqualTo(1);
            assertThat(log.count("ERROR", "d365.client-secret")).isEqualTo(1);
            assertThat(auth.current()).isEmpty();
            assertThat(log.lines()).noneMatch(line -> line.contains(wrongSecret));
            for (int i = 1; i <= 3; i++) {
                assertThat(Files.readString(job.resolve("processed/groups-" + i + ".csv.report.txt")))
                        .doesNotContain(wrongSecret);
            }
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

    /** The files directly in a folder; none when it does not exist. */
    private static java.util.List<Path> filesIn(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        try (var list = Files.list(dir)) {
            return list.filter(Files::isRegularFile).toList();
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
