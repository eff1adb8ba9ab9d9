package io.github.rip.emulator;

import static io.github.rip.emulator.EmulatorTestSupport.CSV_JOB;
import static io.github.rip.emulator.ExportTestSupport.EXPORT_JOB;
import static io.github.rip.emulator.ExportTestSupport.ack;
import static io.github.rip.emulator.ExportTestSupport.dequeue;
import static io.github.rip.emulator.ExportTestSupport.dequeueMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each fault kind, clear(), how long faults last, and the request and token counters. */
class FaultInjectionTest {

    static final byte[] CSV = "CUSTOMERGROUPID,DESCRIPTION\n10,Retail\n".getBytes(StandardCharsets.UTF_8);
    static final String ENQUEUE = "/api/connector/enqueue/" + CSV_JOB + "?entity=Customer%20groups";

    @TempDir
    Path dataDir;
    D365Emulator emulator;
    HttpClient http;
    String token;

    @BeforeEach
    void start() throws Exception {
        emulator = D365Emulator.start(ExportTestSupport.config(dataDir).build());
        http = EmulatorTestSupport.httpClient(emulator);
        token = EmulatorTestSupport.token(emulator);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    HttpResponse<String> enqueue() throws IOException, InterruptedException {
        return EmulatorTestSupport.enqueue(http, emulator, token, ENQUEUE, CSV, null);
    }

    @Test
    void failNextAnswersStatusHeadersAndBodyForTheNextRequestsOnly() throws Exception {
        emulator.faults().failNext(Endpoint.ENQUEUE, 429, 2, Map.of("Retry-After", "1"), null)
                .failNext(Endpoint.DEQUEUE, 503, 1, Map.of(), "{\"Message\":\"down for maintenance\"}");

        HttpResponse<String> first = enqueue();
        HttpResponse<String> second = enqueue();
        HttpResponse<String> third = enqueue();
        HttpResponse<String> dequeue = dequeue(http, emulator, token, EXPORT_JOB);

        assertEquals(429, first.statusCode());
        assertEquals("1", first.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(first.body().contains("Number of requests"), first.body());
        assertEquals(429, second.statusCode());
        assertEquals(200, third.statusCode());
        assertEquals(1, emulator.messages().size(), "faulted enqueues stored nothing");
        assertEquals(503, dequeue.statusCode());
        assertEquals("{\"Message\":\"down for maintenance\"}", dequeue.body());
        assertEquals(204, dequeue(http, emulator, token, EXPORT_JOB).statusCode());
        assertEquals(3, emulator.requestCount(Endpoint.ENQUEUE), "faulted requests are counted too");
    }

    @Test
    void theTokenEndpointFailsInEntrasShape() throws Exception {
        emulator.faults().throttleNext(Endpoint.TOKEN, 1, 2);
        HttpRequest request = HttpRequest.newBuilder(URI.create(emulator.authority() + "oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                        + EmulatorTestSupport.APP_ID + "&client_secret=" + EmulatorTestSupport.SECRET
                        + "&scope=" + emulator.baseUrl() + "/.default")).build();

        HttpResponse<String> throttled = http.send(request, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> issued = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertEquals(429, throttled.statusCode());
        assertEquals("2", throttled.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("temporarily_unavailable", Json.MAPPER.readTree(throttled.body()).get("error").asText());
        assertEquals(200, issued.statusCode());
        assertEquals(2, emulator.tokensIssued(), "one for the test's token, one now; none for the throttled call");
    }

    @Test
    void delayNextSlowsTheAnswerDown() throws Exception {
        emulator.faults().delayNext(Endpoint.JOBSTATUS, Duration.ofMillis(700), 1);
        String id = EmulatorTestSupport.messageId(enqueue());

        long started = System.nanoTime();
        HttpResponse<String> slow = EmulatorTestSupport.get(http, emulator, token,
                "/api/connector/jobstatus/" + CSV_JOB + "?jobId=" + id);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals(200, slow.statusCode(), "answered normally after the delay");
        assertTrue(took.compareTo(Duration.ofMillis(700)) >= 0, "took " + took);
        assertEquals(0, emulator.faults().pending(Endpoint.JOBSTATUS));
    }

    @Test
    void dropConnectionNextCutsTheConnectionBeforeTheRequestIsHandled() throws Exception {
        emulator.publishGenerated(EXPORT_JOB, 1);
        JsonNode m = dequeueMessage(http, emulator, token, EXPORT_JOB);
        emulator.faults().dropConnectionNext(Endpoint.ACK, 1);

        assertThrows(IOException.class, () -> ack(http, emulator, token, EXPORT_JOB, m.toString()));

        String id = m.get("CorrelationId").asText();
        assertEquals(DataJobState.DEQUEUED, emulator.exportMessage(id).orElseThrow().state(), "not acked");
        assertEquals(200, ack(http, emulator, token, EXPORT_JOB, m.toString()).statusCode());

        // The JDK client retries a GET once by itself when the connection closes without an answer.
        emulator.faults().dropConnectionNext(Endpoint.DEQUEUE, 2);
        int before = emulator.requestCount(Endpoint.DEQUEUE);
        assertThrows(IOException.class, () -> dequeue(http, emulator, token, EXPORT_JOB));
        assertEquals(before + 2, emulator.requestCount(Endpoint.DEQUEUE));
        assertEquals(204, dequeue(http, emulator, token, EXPORT_JOB).statusCode());
    }

    @Test
    void dropResponseNextHandlesTheRequestButLosesTheAnswer() throws Exception {
        String id = emulator.publishGenerated(EXPORT_JOB, 1);
        JsonNode m = dequeueMessage(http, emulator, token, EXPORT_JOB);
        emulator.faults().dropResponseNext(Endpoint.ACK, 1);

        assertThrows(IOException.class, () -> ack(http, emulator, token, EXPORT_JOB, m.toString()));

        assertEquals(DataJobState.ACKED, emulator.exportMessage(id).orElseThrow().state(), "the ack happened");
        assertEquals(200, ack(http, emulator, token, EXPORT_JOB, m.toString()).statusCode(), "a retry succeeds");
    }

    @Test
    void clearRemovesEveryPendingFault() throws Exception {
        emulator.faults().failNext(Endpoint.DEQUEUE, 500, 5).delayNext(Endpoint.ENQUEUE, Duration.ofSeconds(30), 3)
                .dropConnectionNext(Endpoint.DOWNLOAD, 1);
        assertEquals(8, emulator.faults().pending(Endpoint.DEQUEUE) + emulator.faults().pending(Endpoint.ENQUEUE));

        emulator.faults().clear();

        assertEquals(0, emulator.faults().pending(Endpoint.DEQUEUE));
        assertEquals(204, dequeue(http, emulator, token, EXPORT_JOB).statusCode());
        assertEquals(200, enqueue().statusCode());
    }

    @Test
    void aTimedFaultEndsWhenItsTimeIsUpAndAnUnlimitedOneWhenRemoved() {
        MovableClock clock = new MovableClock();
        FaultInjector faults = new FaultInjector(clock);
        FaultInjector.ActiveFault timed = faults.add(FaultSpec.fail(Endpoint.ENQUEUE, 503, Map.of(), null, null)
                .lasting(Duration.ofMinutes(10)));
        FaultInjector.ActiveFault forever = faults.add(FaultSpec.dropConnection(Endpoint.ACK, null));

        assertEquals(clock.now.plus(Duration.ofMinutes(10)), timed.until());
        assertEquals(Integer.MAX_VALUE, faults.pending(Endpoint.ENQUEUE));
        clock.now = clock.now.plus(Duration.ofMinutes(10));

        assertEquals(0, faults.pending(Endpoint.ENQUEUE), "the time is up");
        assertEquals(List.of(forever), faults.active());
        assertTrue(faults.remove(forever.id()));
        assertEquals(List.of(), faults.active());
    }

    @Test
    void countersShowThatManyRequestsUsedOneToken() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(200, enqueue().statusCode());
        }
        dequeue(http, emulator, token, EXPORT_JOB);

        assertEquals(1, emulator.tokensIssued());
        assertEquals(1, emulator.requestCount(Endpoint.TOKEN));
        assertEquals(5, emulator.requestCount(Endpoint.ENQUEUE));
        assertEquals(1, emulator.requestCount(Endpoint.DEQUEUE));
        assertEquals(0, emulator.requestCount(Endpoint.ACK));
    }

    /** A clock a test moves by hand. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2024-06-01T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
