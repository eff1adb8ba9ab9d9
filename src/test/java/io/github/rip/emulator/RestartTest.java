package io.github.rip.emulator;

import static io.github.rip.emulator.EmulatorTestSupport.CSV_JOB;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An emulator restarted on the same data folder and port loses nothing and keeps its certificate and token key. */
class RestartTest {

    static final byte[] CSV = "CUSTOMERGROUPID,DESCRIPTION\n10,Retail\n20,Export\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dataDir;

    @Test
    void aMessageEnqueuedBeforeARestartCompletesAfterIt() throws Exception {
        EmulatorConfig slow = EmulatorTestSupport.config(dataDir).processingDelay(Duration.ofSeconds(30)).build();
        D365Emulator first = D365Emulator.start(slow);
        SSLContext trust = EmulatorTestSupport.trusting(first);
        String token = EmulatorTestSupport.token(first);
        HttpResponse<String> enqueued = EmulatorTestSupport.enqueue(EmulatorTestSupport.httpClient(first), first,
                token, "/api/connector/enqueue/" + CSV_JOB + "?entity=Customer%20groups", CSV, "groups.csv");
        String id = EmulatorTestSupport.messageId(enqueued);
        int port = first.port();
        var certificate = first.certificate();
        first.stop();

        try (D365Emulator second = D365Emulator.start(slow.toBuilder().port(port)
                .processingDelay(Duration.ofMillis(200)).build())) {
            assertEquals(certificate, second.certificate(), "the same TLS certificate is served again");
            assertEquals(DataJobState.ENQUEUED, second.message(id).orElseThrow().state());
            HttpClient sameTrust = HttpClient.newBuilder().sslContext(trust).build();

            JsonNode status = EmulatorTestSupport.awaitTerminal(sameTrust, second, token, CSV_JOB, id);

            assertEquals(5, status.get("DataJobStatus").get("DataJobState").asInt(), status.toString());
            assertEquals(2, status.get("ExecutionDetail").get(0).get("TargetRecords").asInt());
            assertEquals("groups.csv", second.message(id).orElseThrow().externalIdentifier());
        }
    }

    @Test
    void aMessageInterruptedWhileInProcessIsProcessedAgainAfterARestart() throws Exception {
        EmulatorConfig stuck = EmulatorTestSupport.config(dataDir).processingDelay(Duration.ZERO)
                .processingTime(Duration.ofSeconds(30)).build();
        D365Emulator first = D365Emulator.start(stuck);
        String token = EmulatorTestSupport.token(first);
        String id = EmulatorTestSupport.messageId(EmulatorTestSupport.enqueue(EmulatorTestSupport.httpClient(first),
                first, token, "/api/connector/enqueue/" + CSV_JOB + "?entity=Customer%20groups", CSV, null));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> first.message(id).orElseThrow().state() == DataJobState.IN_PROCESS);
        first.stop();

        try (D365Emulator second = D365Emulator.start(stuck.toBuilder().port(first.port())
                .processingTime(Duration.ofMillis(100)).build())) {
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> second.message(id).orElseThrow().state() == DataJobState.PROCESSED);
            assertEquals(1, second.messages().size());
        }
    }
}
