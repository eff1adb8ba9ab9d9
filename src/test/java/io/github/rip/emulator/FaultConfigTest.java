package io.github.rip.emulator;

import static io.github.rip.emulator.EmulatorTestSupport.APP_ID;
import static io.github.rip.emulator.EmulatorTestSupport.CSV_JOB;
import static io.github.rip.emulator.EmulatorTestSupport.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code faults:} list of emulator.yaml: what it reads, what it refuses, and what a client then sees. */
class FaultConfigTest {

    /** Apps and one import job, like the test config, so tokens come from EmulatorTestSupport. */
    static final String BASE_YAML = """
            tenant: %s
            processingDelay: 200ms
            processingTime: 100ms
            apps:
              - appId: %s
                secret: %s
            jobs:
              - activityId: "%s"
                mode: FILE
                entity: Customer groups
                format: CSV
                apps: [%s]
            """.formatted(EmulatorTestSupport.TENANT, APP_ID, SECRET, CSV_JOB, APP_ID);

    @TempDir
    Path dataDir;
    D365Emulator emulator;
    HttpClient http;
    String token;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    void start(String faultsYaml) throws Exception {
        EmulatorConfig config = EmulatorConfig.load(new StringReader(BASE_YAML + faultsYaml), null);
        emulator = D365Emulator.start(config.toBuilder().dataDir(dataDir).build());
        http = EmulatorTestSupport.httpClient(emulator);
        token = EmulatorTestSupport.token(emulator);
    }

    HttpResponse<String> enqueue() throws IOException, InterruptedException {
        return EmulatorTestSupport.enqueue(http, emulator, token, FaultInjectionTest.ENQUEUE, FaultInjectionTest.CSV,
                null);
    }

    HttpResponse<String> jobstatus(String messageId) throws IOException, InterruptedException {
        return EmulatorTestSupport.get(http, emulator, token, "/api/connector/jobstatus/" + CSV_JOB + "?jobId="
                + messageId);
    }

    @Test
    void configuredFaultsHitRealRequestsUntilTheirCountIsUsedUp() throws Exception {
        start("""
                faults:
                  - endpoint: enqueue
                    kind: throttle
                    retryAfter: 7
                    times: 2
                  - endpoint: jobstatus
                    kind: fail
                    status: 500
                    headers: {X-Rehearsal: outage}
                    body: {Message: Planned outage}
                    times: 1
                """);

        HttpResponse<String> first = enqueue();
        HttpResponse<String> second = enqueue();
        HttpResponse<String> third = enqueue();
        String id = EmulatorTestSupport.messageId(third);
        HttpResponse<String> failedStatus = jobstatus(id);
        HttpResponse<String> status = jobstatus(id);

        assertEquals(List.of(429, 429, 200), List.of(first.statusCode(), second.statusCode(), third.statusCode()));
        assertEquals("7", first.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(1, emulator.messages().size(), "the throttled enqueues stored nothing");
        assertEquals(3, emulator.requestCount(Endpoint.ENQUEUE));
        assertEquals(500, failedStatus.statusCode());
        assertEquals("outage", failedStatus.headers().firstValue("X-Rehearsal").orElseThrow());
        assertEquals("{\"Message\":\"Planned outage\"}", failedStatus.body());
        assertEquals(200, status.statusCode(), status.body());
        assertEquals(List.of(), emulator.faults().active());
    }

    @Test
    void aFaultWithATimeLimitHitsEveryRequestUntilTheTimeIsUp() throws Exception {
        Instant started = Instant.now();
        start("""
                faults:
                  - endpoint: enqueue
                    kind: fail
                    status: 503
                    for: 10m
                """);

        for (int i = 0; i < 3; i++) {
            assertEquals(503, enqueue().statusCode());
        }

        assertEquals(0, emulator.messages().size());
        Instant until = emulator.faults().active().get(0).until();
        assertTrue(!until.isBefore(started.plus(Duration.ofMinutes(10))) && until.isBefore(Instant.now()
                .plus(Duration.ofMinutes(10))), "ends 10 minutes after the start: " + until);
        // The end itself is checked with a controlled clock in FaultInjectionTest.
    }

    @Test
    void everyKindAndLimitIsRead() {
        String yaml = """
                faults:
                  - {endpoint: token, kind: throttle, retryAfter: 5}
                  - {endpoint: ENQUEUE, kind: fail, status: "{{fault.status:503}}", body: "", times: 2, for: 5m}
                  - {endpoint: jobstatus, kind: delay, delay: 200ms, times: 1}
                  - {endpoint: download, kind: drop-connection, for: PT30S}
                  - {endpoint: ack, kind: DROP_RESPONSE, times: 1}
                """;

        List<FaultSpec> faults = EmulatorConfig.load(new StringReader(yaml),
                v -> EmulatorMain.resolve(v, name -> null)).faults();

        assertEquals(List.of(
                FaultSpec.throttle(Endpoint.TOKEN, 5, null),
                FaultSpec.fail(Endpoint.ENQUEUE, 503, Map.of(), "", 2).lasting(Duration.ofMinutes(5)),
                FaultSpec.delay(Endpoint.JOBSTATUS, Duration.ofMillis(200), 1),
                FaultSpec.dropConnection(Endpoint.DOWNLOAD, null).lasting(Duration.ofSeconds(30)),
                FaultSpec.dropResponse(Endpoint.ACK, 1)), faults);
        assertEquals(Map.of("Retry-After", "5"), faults.get(0).headers());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            {endpoint: enqueue, kind: fail, stauts: 503}   | faults[0]: unknown key 'stauts'; a fault takes endpoint, kind, times, for, and by kind: status, headers, body (fail), retryAfter (throttle), delay (delay)
            {endpoint: enqeue, kind: fail, status: 503}    | faults[0]: 'endpoint' must be one of token, enqueue, jobstatus, dequeue, download, ack, admin, get-azure-write-url, import-from-package, export-to-package, get-execution-summary-status, get-exported-package-url, get-execution-errors, blob-upload, blob-download; got enqeue
            {kind: fail, status: 503}                      | faults[0]: needs 'endpoint', one of token, enqueue, jobstatus, dequeue, download, ack, admin, get-azure-write-url, import-from-package, export-to-package, get-execution-summary-status, get-exported-package-url, get-execution-errors, blob-upload, blob-download
            {endpoint: ack, kind: explode}                 | faults[0]: 'kind' must be one of fail, throttle, delay, drop-connection, drop-response, cut-upload; got explode
            {endpoint: ack, kind: fail}                    | faults[0]: a fail fault needs 'status', an HTTP status 200..599
            {endpoint: ack, kind: fail, status: 700}       | faults[0]: 'status' must be an HTTP status 200..599, got 700
            {endpoint: ack, kind: fail, status: 5xx}       | faults[0]: 'status' must be a whole number, got 5xx
            {endpoint: ack, kind: fail, status: 500, delay: 2s} | faults[0]: 'delay' does not apply to a fail fault; it takes endpoint, kind, times, for, status, headers, body
            {endpoint: ack, kind: drop-response, status: 500}   | faults[0]: 'status' does not apply to a drop-response fault; it takes endpoint, kind, times, for
            {endpoint: ack, kind: throttle}                | faults[0]: a throttle fault needs 'retryAfter', whole seconds, 0 or more
            {endpoint: ack, kind: delay, delay: soon}      | faults[0]: 'delay' must be a duration like PT2S, 200ms, 2s, 5m or 1h; got soon
            {endpoint: ack, kind: fail, status: 500, times: 0} | faults[0]: 'times' must be 1 or more, got 0
            {endpoint: ack, kind: fail, status: 500, for: 0}   | faults[0]: 'for' must be a duration longer than zero, got PT0S
            """)
    void aBadEntryNamesTheKeyAndTheAcceptedValues(String entry, String message) {
        String yaml = "faults:\n  - " + entry + "\n";

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmulatorConfig.load(new StringReader(yaml), null));

        assertEquals("emulator config: " + message, e.getMessage());
    }

    @Test
    void theShippedConfigHasNoFaultButItsCommentedExampleIsValid() throws IOException {
        assertEquals(List.of(), EmulatorConfig.loadDefault(v -> EmulatorMain.resolve(v, name -> null)).faults());

        String example = uncommentedFaultsExample();
        List<FaultSpec> faults = EmulatorConfig.load(new StringReader(example), null).faults();

        assertEquals(3, faults.size(), example);
        assertTrue(faults.stream().allMatch(f -> f.times() != null || f.duration() != null),
                "the example shows limited faults only");
    }

    /** The {@code #faults:} block of the shipped emulator.yaml with its comment marks removed. */
    private static String uncommentedFaultsExample() throws IOException {
        List<String> lines;
        try (InputStream in = EmulatorConfig.class.getClassLoader().getResourceAsStream(
                EmulatorConfig.DEFAULT_RESOURCE)) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        List<String> block = new ArrayList<>();
        for (String line : lines.subList(lines.indexOf("#faults:"), lines.size())) {
            if (!line.startsWith("#")) {
                break;
            }
            block.add(line.substring(1));
        }
        return String.join("\n", block) + "\n";
    }
}
