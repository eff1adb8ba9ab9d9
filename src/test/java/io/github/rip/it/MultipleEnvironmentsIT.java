package io.github.rip.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.github.rip.auth.TlsTrust;
import io.github.rip.connector.D365Environments;
import io.github.rip.emulator.AppRegistration;
import io.github.rip.emulator.EmulatorMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several D365 environments in one runner: two emulators stand for "prod" (the default environment, d365.*) and
 * "test" (d365.environments.test.*), each with its own certificate, signing key, app secret and data. Jobs reach the
 * environment they name, and no token of one environment is ever sent to the other.
 */
class MultipleEnvironmentsIT {

    private static final Path SAMPLE = Path.of("docs/samples/customer-groups.csv");
    private static final String TEST_SECRET = "test-environment-secret";

    @TempDir
    Path temp;

    @Test
    void eachJobReachesItsOwnEnvironmentAndNoTokenCrossesToTheOther() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        Path outbox = temp.resolve("outbox");
        ConfigurationCheckIT.JobFiles.fileImport(routes, "groups-prod", Map.of());
        ConfigurationCheckIT.JobFiles.fileImport(routes, "groups-test", Map.of("environment", "test"));
        ExportFixtures.writeJob(routes, "exports-test", temp.resolve("data/export/exports-test"), "file:" + outbox,
                Map.of("environment", "test"));

        try (StandaloneEmulator prod = new StandaloneEmulator(temp.resolve("prod-emulator"), b -> { }).start();
             StandaloneEmulator test = new StandaloneEmulator(temp.resolve("test-emulator"), b -> { }).start()) {
            // the test environment's app has a secret of its own
            test.get().registerApp(AppRegistration.withSecret(StandaloneEmulator.CLIENT_ID, TEST_SECRET));
            String env = "d365.environments.test.";
            try (PackRunner runner = prod.configure(new PackRunner(temp.resolve("data")))
                    .set("rip.routes-dir", routes.toString())
                    .set("rip.export.poll-interval", "300")
                    .set(env + "base-url", test.get().baseUrl())
                    .set(env + "authority", test.get().authority())
                    .set(env + "truststore.path", test.get().trustStore().toString())
                    .set(env + "truststore.password", test.get().trustStorePassword())
                    .set(env + "client-id", StandaloneEmulator.CLIENT_ID)
                    .set(env + "client-secret", TEST_SECRET).start()) {
                Files.copy(SAMPLE, runner.job("groups-prod").resolve("inbox/prod.csv"));
                Files.copy(SAMPLE, runner.job("groups-test").resolve("inbox/test.csv"));
                String published = test.get().publishGenerated(ExportFixtures.activity(), 3);

                assertThat(runner.awaitOutcome("groups-prod", "prod.csv")).startsWith("processed");
                assertThat(runner.awaitOutcome("groups-test", "test.csv")).startsWith("processed");
                await().atMost(Duration.ofSeconds(30)).until(() -> test.get().exportMessage(published)
                        .map(m -> m.ackedAt() != null).orElse(false));

                // each file reached the environment of its job, and only that one
                assertThat(prod.get().messages()).extracting(EmulatorMessage::externalIdentifier)
                        .containsExactly("prod.csv");
                assertThat(test.get().messages()).extracting(EmulatorMessage::externalIdentifier)
                        .containsExactly("test.csv");
                assertThat(outbox).isDirectoryContaining(p -> p.getFileName().toString().contains(published));
                // the prod emulator's own scheduled exports were never taken: no export job talks to prod
                assertThat(prod.get().exportMessages()).allMatch(m -> m.dequeueCount() == 0);

                // the emulators' records: each received tokens, all of them its own, none issued by the other
                Set<String> toProd = prod.get().presentedTokenFingerprints();
                Set<String> toTest = test.get().presentedTokenFingerprints();
                assertThat(toProd).isNotEmpty().isSubsetOf(prod.get().issuedTokenFingerprints())
                        .doesNotContainAnyElementsOf(test.get().issuedTokenFingerprints());
                assertThat(toTest).isNotEmpty().isSubsetOf(test.get().issuedTokenFingerprints())
                        .doesNotContainAnyElementsOf(prod.get().issuedTokenFingerprints());

                // and a token of one environment is refused by the other (sent here on purpose, by the test)
                D365Environments environments = D365Environments.of(runner.context());
                String testToken = environments.get("test").tokens().token();
                String prodToken = environments.defaultEnvironment().tokens().token();
                assertThat(jobStatus(prod, testToken)).isEqualTo(401);
                assertThat(jobStatus(test, prodToken)).isEqualTo(401);
                assertThat(jobStatus(prod, prodToken)).as("the same call with the right token").isEqualTo(404);
            }
        }
    }

    /** A read-only jobstatus call for an unknown message: 404 with a valid token, 401 with a refused one. */
    private static int jobStatus(StandaloneEmulator emulator, String token) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(TlsTrust.fromTrustStore(emulator.get().trustStore(),
                emulator.get().trustStorePassword())).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(emulator.get().baseUrl() + "/api/connector/jobstatus/"
                        + AuthenticationIT.activity("customer-groups") + "?jobId=00000000-0000-0000-0000-000000000000"))
                .header("Authorization", "Bearer " + token).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
