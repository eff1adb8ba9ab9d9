package io.github.rip.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.rip.emulator.Endpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operations API, health and metrics over real HTTP against the runner and its embedded emulator: health follows
 * the emulator's token endpoint, the metrics agree with the journal, a paused export job stops dequeuing, a pause
 * survives a restart, and state-changing requests need the CSRF token and this site.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsIT {

    private static final Path SAMPLES = Path.of("docs/samples");
    private static final String EXPORT_ACTIVITY = "6d31e09f-0000-4000-8000-000000000101";

    @TempDir
    static Path data;
    PackRunner runner;
    DashboardClient client;

    @BeforeAll
    void start() throws Exception {
        startRunner();
    }

    @AfterAll
    void stop() throws Exception {
        if (runner != null) {
            runner.close();
        }
    }

    private void startRunner() throws Exception {
        runner = new PackRunner(data).set("rip.health.d365-check-interval", "300ms").set("rip.node.id", "ops-runner")
                .set("rip.export.poll-interval", "300").set("emulator.exports.customer-groups.every", "0").start();
        client = new DashboardClient(runner.baseUrl());
    }

    @Test
    void healthIsDownWhileTheTokenEndpointFailsAndUpAgainAfterwards() {
        await().atMost(Duration.ofSeconds(30)).until(() -> client.get("/observe/health").status() == 200);

        runner.emulator().faults().failNext(Endpoint.TOKEN, 503, 1_000_000);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> client.get("/observe/health").status() == 503);
            JsonNode health = client.get("/observe/health").json();
            assertThat(health.path("status").asText()).isEqualTo("DOWN");
            JsonNode d365 = check(health, "d365");
            assertThat(d365.path("status").asText()).isEqualTo("DOWN");
            assertThat(d365.path("message").asText()).startsWith("Token endpoint: ").contains("503");
            // D365 being away is no reason to restart the runner
            assertThat(client.get("/observe/health/live").status()).isEqualTo(200);
            assertThat(client.get("/observe/health/ready").status()).isEqualTo(503);
        } finally {
            runner.emulator().faults().clear();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> client.get("/observe/health").status() == 200);
        JsonNode full = client.get("/observe/health?exposureLevel=full").json();
        assertThat(List.of("journal", "d365", "route:import-customer-groups", "route:export-customer-groups"))
                .allSatisfy(name -> assertThat(check(full, name).path("status").asText()).as(name).isEqualTo("UP"));
    }

    @Test
    void theMetricsAgreeWithTheJournalAfterARunOfFiles() throws Exception {
        Path inbox = runner.job("vendor-groups").resolve("inbox");
        for (int i = 1; i <= 5; i++) {
            Files.copy(SAMPLES.resolve("vendor-groups.xml"), inbox.resolve("vendors-" + i + ".xml"));
        }
        Files.writeString(inbox.resolve("broken.xml"), "<VendorGroups><oops>"); // the XSLT refuses it
        await().atMost(Duration.ofSeconds(60)).until(() -> rows("vendor-groups").size() == 6
                && rows("vendor-groups").stream().allMatch(r -> r.path("state").asText().matches("PROCESSED|FAILED")));

        List<JsonNode> rows = rows("vendor-groups");
        long processed = rows.stream().filter(r -> r.path("state").asText().equals("PROCESSED")).count();
        long enqueued = rows.stream().filter(r -> !r.path("messageId").isNull()).count();
        assertThat(processed).isEqualTo(5);
        assertThat(metric("rip_import_files_total", "event=\"taken\"")).isEqualTo(rows.size());
        assertThat(metric("rip_import_files_total", "event=\"enqueued\"")).isEqualTo(enqueued);
        assertThat(metric("rip_import_files_total", "event=\"processed\"")).isEqualTo(processed);
        assertThat(metric("rip_import_files_total", "event=\"failed\"")).isEqualTo(rows.size() - processed);
        assertThat(metric("rip_import_enqueue_latency_seconds_count", null)).isEqualTo(enqueued);
        assertThat(metric("rip_import_jobstatus_lag_seconds_count", "outcome=\"processed\"")).isEqualTo(processed);
        // the bytes D365 received: the XSLT's output, as the emulator stored it
        long received = 0;
        for (var message : runner.emulator().messages()) {
            if ("Vendor groups".equals(message.entity())) {
                received += Files.size(message.bodyPath());
            }
        }
        assertThat(metric("rip_import_uploaded_bytes_total", null)).isEqualTo(received);
        JsonNode counts = client.get("/api/jobs/vendor-groups").json().path("counts24h");
        assertThat(counts.path("processed").asLong()).isEqualTo(processed);
        assertThat(counts.path("failed").asLong()).isEqualTo(rows.size() - processed);
        // which runner took each file (rip.node.id), and the runners sharing the journal: on H2 this one only
        assertThat(rows).allSatisfy(r -> assertThat(r.path("runner").asText()).isEqualTo("ops-runner"));
        JsonNode runners = client.get("/api/jobs").json().path("runners");
        assertThat(runners).hasSize(1);
        assertThat(runners.get(0).path("node").asText()).isEqualTo("ops-runner");
        assertThat(runners.get(0).path("alive").asBoolean()).isTrue();
        assertThat(runners.get(0).path("self").asBoolean()).isTrue();
    }

    @Test
    void aPausedExportJobStopsDequeuingUntilResumedThenRunNowDeliversAndTheCountersFollow() throws Exception {
        assertThat(client.act("/api/jobs/customer-groups-export/pause").status()).isEqualTo(200);
        int dequeues = runner.emulator().requestCount(Endpoint.DEQUEUE);
        runner.emulator().publishGenerated(EXPORT_ACTIVITY, 5);
        runner.emulator().publishGenerated(EXPORT_ACTIVITY, 5);

        // polls every 300 ms when running: a paused job asks nothing for several seconds
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> runner.emulator().requestCount(Endpoint.DEQUEUE) == dequeues);
        assertThat(client.act("/api/jobs/customer-groups-export/run").status()).isEqualTo(409);

        assertThat(client.act("/api/jobs/customer-groups-export/resume").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("customer-groups-export").stream()
                .filter(r -> r.path("state").asText().equals("ACKED")).count() >= 2);
        assertThat(client.act("/api/jobs/customer-groups-export/run").status()).isIn(202, 409); // 409: polling now

        List<JsonNode> rows = rows("customer-groups-export");
        assertThat(metric("rip_export_messages_total", "event=\"dequeued\"")).isEqualTo(rows.size());
        assertThat(metric("rip_export_messages_total", "event=\"acked\"")).isEqualTo(rows.stream()
                .filter(r -> r.path("state").asText().equals("ACKED")).count());
        assertThat(client.get("/api/jobs/customer-groups-export/actions").body()).contains("\"action\":\"pause\"")
                .contains("\"action\":\"resume\"").contains("\"actor\":\"local\"");
    }

    @Test
    void aPauseIsKeptAcrossARestart() throws Exception {
        assertThat(client.act("/api/jobs/master-data-package/pause").status()).isEqualTo(200);
        runner.stop();
        startRunner();

        JsonNode job = client.get("/api/jobs/master-data-package").json();
        assertThat(job.path("state").asText()).isEqualTo("paused");
        assertThat(job.path("changedBy").asText()).isEqualTo("local");
        Path batch = Files.createDirectories(runner.job("master-data-package").resolve("inbox/after-restart"));
        for (String entity : List.of("customer-groups.csv", "vendor-groups.csv", "customers.csv")) {
            Files.copy(SAMPLES.resolve("master-data-batch").resolve(entity), batch.resolve(entity));
        }
        Files.writeString(batch.resolve("batch.ready"), ""); // the batch is complete: a running job takes it
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> Files.exists(batch.resolve("batch.ready")) && rows("master-data-package").isEmpty());

        assertThat(client.act("/api/jobs/master-data-package/resume").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("master-data-package").stream()
                .anyMatch(r -> r.path("state").asText().equals("PROCESSED")));
    }

    @Test
    void stateChangingRequestsNeedTheCsrfTokenAndThisSite() {
        String token = client.get("/api/session").json().path("csrfToken").asText();

        assertThat(client.post("/api/jobs/vendor-groups/pause").status()).isEqualTo(403);
        assertThat(client.post("/api/jobs/vendor-groups/pause", "X-Rip-Csrf", "guessed").status()).isEqualTo(403);
        assertThat(client.post("/api/jobs/vendor-groups/pause", "X-Rip-Csrf", token, "Origin", "http://evil.example")
                .status()).isEqualTo(403);
        assertThat(client.post("/api/jobs/vendor-groups/pause", "X-Rip-Csrf", token, "Sec-Fetch-Site", "cross-site")
                .status()).isEqualTo(403);
        // a foreign page that rebinds its host name to 127.0.0.1 cannot even read
        assertThat(client.statusWithHost("/api/session", "evil.example")).contains(" 403 ");
        assertThat(client.get("/api/jobs/vendor-groups").json().path("state").asText()).isNotEqualTo("paused");
        assertThat(client.get("/api/jobs/vendor-groups/actions").json()).isEmpty();
    }

    @Test
    void messageActionsAreRefusedForRowsInTheWrongStateAndSaySo() throws Exception {
        Files.copy(SAMPLES.resolve("customer-groups.csv"), runner.job("customer-groups").resolve("inbox/done.csv"));
        assertThat(runner.awaitOutcome("customer-groups", "done.csv")).startsWith("processed");
        long id = runner.journal().latest("customer-groups", "done.csv").orElseThrow().id();

        DashboardClient.Answer retry = client.act("/api/jobs/customer-groups/messages/" + id + "/retry");
        assertThat(retry.status()).isEqualTo(409);
        assertThat(retry.json().path("message").asText()).contains("Only a FAILED file can be retried");
        assertThat(client.act("/api/jobs/customer-groups/messages/" + id + "/check-status").status()).isEqualTo(409);
        assertThat(client.act("/api/jobs/customer-groups/messages/999999/retry").status()).isEqualTo(404);
        assertThat(client.get("/api/jobs/customer-groups/actions").body()).contains("\"outcome\":\"refused\"");
    }

    @Test
    void theGrafanaDashboardAsksOnlyForMetricsTheRunnerServes() throws Exception {
        String dashboard = Files.readString(Path.of("docker/grafana/recurring-integrations-pack.json"));
        java.util.Set<String> asked = new java.util.TreeSet<>();
        java.util.regex.Matcher name = java.util.regex.Pattern.compile("\\b(rip|camel)_[a-z0-9_]+").matcher(dashboard);
        while (name.find()) {
            asked.add(name.group());
        }
        java.util.Set<String> served = new java.util.HashSet<>();
        client.get("/observe/metrics").body().lines().filter(line -> !line.startsWith("#"))
                .forEach(line -> served.add(line.replaceFirst("[{ ].*", "")));

        assertThat(asked).hasSizeGreaterThan(10);
        assertThat(served).containsAll(asked);
    }

    private List<JsonNode> rows(String job) {
        JsonNode page = client.get("/api/jobs/" + job + "/messages?size=200").json();
        return java.util.stream.StreamSupport.stream(page.path("rows").spliterator(), false).toList();
    }

    private double metric(String name, String label) {
        String job = "job=\"" + (name.startsWith("rip_export") ? "customer-groups-export" : "vendor-groups") + "\"";
        List<String> labels = label == null ? List.of(job) : sortedLabels(label, job);
        return client.metric(name + "{" + String.join(",", labels) + "}");
    }

    /** Prometheus writes a meter's labels in name order. */
    private static List<String> sortedLabels(String... labels) {
        return java.util.Arrays.stream(labels).sorted().toList();
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode check : health.path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }
}
