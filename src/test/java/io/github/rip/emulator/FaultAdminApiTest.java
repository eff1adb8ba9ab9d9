package io.github.rip.emulator;

import static io.github.rip.emulator.EmulatorTestSupport.APP_ID;
import static io.github.rip.emulator.EmulatorTestSupport.OTHER_APP_ID;
import static io.github.rip.emulator.EmulatorTestSupport.OTHER_SECRET;
import static io.github.rip.emulator.EmulatorTestSupport.SECRET;
import static io.github.rip.emulator.ExportTestSupport.EXPORT_JOB;
import static io.github.rip.emulator.ExportTestSupport.dequeue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET / POST / DELETE /admin/faults with a real HTTP client, as curl would use them during a rehearsal. */
class FaultAdminApiTest {

    static final String ENQUEUE_503_TWICE = "{\"endpoint\":\"enqueue\",\"kind\":\"fail\",\"status\":503,\"times\":2}";

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

    HttpResponse<String> admin(String method, String path, String json, String bearer)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode listed() throws Exception {
        HttpResponse<String> r = admin("GET", "/admin/faults", null, token);
        assertEquals(200, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body()).get("faults");
    }

    int enqueueStatus() throws Exception {
        return EmulatorTestSupport.enqueue(http, emulator, token, FaultInjectionTest.ENQUEUE, FaultInjectionTest.CSV,
                null).statusCode();
    }

    @Test
    void aPostedFaultHitsTheNextRequestsAndIsListedUntilUsedUp() throws Exception {
        HttpResponse<String> added = admin("POST", "/admin/faults", ENQUEUE_503_TWICE, token);

        assertEquals(201, added.statusCode(), added.body());
        JsonNode fault = Json.MAPPER.readTree(added.body());
        long id = fault.get("id").asLong();
        assertEquals("/admin/faults/" + id, added.headers().firstValue("Location").orElseThrow());
        assertEquals(Json.MAPPER.readTree("{\"id\":" + id + ",\"endpoint\":\"enqueue\",\"kind\":\"fail\","
                + "\"status\":503,\"times\":2,\"remaining\":2}"), fault);
        assertEquals(List.of(fault), List.copyOf(listed().valueStream().toList()));

        assertEquals(503, enqueueStatus());
        assertEquals(1, listed().get(0).get("remaining").asInt());
        assertEquals(503, enqueueStatus());
        assertEquals(0, listed().size(), "used up");
        assertEquals(200, enqueueStatus());
        assertEquals(1, emulator.messages().size());
    }

    @Test
    void faultsWithoutLimitsStayUntilDeletedOneOrAll() throws Exception {
        long enqueueFault = Json.MAPPER.readTree(admin("POST", "/admin/faults",
                "{\"endpoint\":\"enqueue\",\"kind\":\"fail\",\"status\":500}", token).body()).get("id").asLong();
        HttpResponse<String> throttle = admin("POST", "/admin/faults",
                "{\"endpoint\":\"dequeue\",\"kind\":\"throttle\",\"retryAfter\":3}", token);
        assertEquals(201, throttle.statusCode(), throttle.body());
        for (int i = 0; i < 3; i++) {
            assertEquals(500, enqueueStatus());
        }

        assertEquals(204, admin("DELETE", "/admin/faults/" + enqueueFault, null, token).statusCode());

        assertEquals(200, enqueueStatus(), "removed: the next request is normal");
        HttpResponse<String> throttled = dequeue(http, emulator, token, EXPORT_JOB);
        assertEquals(429, throttled.statusCode());
        assertEquals("3", throttled.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("throttle", listed().get(0).get("kind").asText());

        HttpResponse<String> removedAll = admin("DELETE", "/admin/faults", null, token);

        assertEquals(200, removedAll.statusCode());
        assertEquals(1, Json.MAPPER.readTree(removedAll.body()).get("removed").asInt());
        assertEquals(204, dequeue(http, emulator, token, EXPORT_JOB).statusCode());
        assertEquals(0, listed().size());
        HttpResponse<String> gone = admin("DELETE", "/admin/faults/" + enqueueFault, null, token);
        assertEquals(404, gone.statusCode());
        assertTrue(gone.body().contains("No pending fault has the id " + enqueueFault), gone.body());
    }

    @Test
    void aFaultOnTheAdminEndpointCannotLockItsOwnOffSwitch() throws Exception {
        admin("POST", "/admin/faults", "{\"endpoint\":\"admin\",\"kind\":\"fail\",\"status\":503}", token);
        String publish = "/admin/exports/" + EXPORT_JOB + "/publish?rows=1";

        assertEquals(503, admin("POST", publish, "", token).statusCode());
        assertEquals(1, listed().size());
        assertEquals(200, admin("DELETE", "/admin/faults", null, token).statusCode());
        assertEquals(200, admin("POST", publish, "", token).statusCode());
    }

    @Test
    void aBadFaultIsRefusedNamingTheKeyAndTheAcceptedValues() throws Exception {
        HttpResponse<String> badKind = admin("POST", "/admin/faults", "{\"endpoint\":\"enqueue\",\"kind\":\"explode\"}",
                token);
        HttpResponse<String> wrongKey = admin("POST", "/admin/faults",
                "{\"endpoint\":\"ack\",\"kind\":\"fail\",\"status\":500,\"retryAfter\":5}", token);
        HttpResponse<String> notJson = admin("POST", "/admin/faults", "endpoint=enqueue", token);
        HttpResponse<String> notOne = admin("POST", "/admin/faults", "[" + ENQUEUE_503_TWICE + "]", token);

        assertEquals(400, badKind.statusCode());
        assertEquals("Invalid fault: 'kind' must be one of fail, throttle, delay, drop-connection, drop-response,"
                + " cut-upload; got explode", Json.MAPPER.readTree(badKind.body()).get("Message").asText());
        assertEquals(400, wrongKey.statusCode());
        assertEquals("Invalid fault: 'retryAfter' does not apply to a fail fault; it takes endpoint, kind, times,"
                + " for, status, headers, body", Json.MAPPER.readTree(wrongKey.body()).get("Message").asText());
        assertEquals(400, notJson.statusCode());
        assertTrue(notJson.body().contains("Invalid fault: the body is not JSON"), notJson.body());
        assertEquals(400, notOne.statusCode());
        assertTrue(notOne.body().contains("one fault as a JSON object"), notOne.body());
        assertEquals(0, listed().size(), "nothing was added");
        assertEquals(200, enqueueStatus());
    }

    @Test
    void adminCallsWithoutAValidTokenAreRefused() throws Exception {
        String otherApp = EmulatorTestSupport.token(emulator, OTHER_APP_ID, OTHER_SECRET, emulator.baseUrl());
        String otherEnvironment = EmulatorTestSupport.token(emulator, APP_ID, SECRET,
                "https://other-env.operations.dynamics.com");

        for (String bearer : new String[] {null, "not-a-token", otherEnvironment}) {
            for (String[] call : new String[][] {{"GET", "/admin/faults", null}, {"POST", "/admin/faults",
                    ENQUEUE_503_TWICE}, {"DELETE", "/admin/faults", null}, {"DELETE", "/admin/faults/1", null}}) {
                HttpResponse<String> r = admin(call[0], call[1], call[2], bearer);
                assertEquals(401, r.statusCode(), call[0] + " " + call[1] + " with " + bearer);
                assertEquals("Authentication failed.", Json.MAPPER.readTree(r.body()).get("Message").asText());
            }
        }
        HttpResponse<String> notEnabled = admin("POST", "/admin/faults", ENQUEUE_503_TWICE, otherApp);

        assertEquals(401, notEnabled.statusCode());
        assertEquals("Application " + OTHER_APP_ID + " is not authorized on any recurring job.",
                Json.MAPPER.readTree(notEnabled.body()).get("Message").asText());
        assertEquals(List.of(), emulator.faults().active(), "no refused call added a fault");
        assertEquals(200, enqueueStatus());
    }
}
