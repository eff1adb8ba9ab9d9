package io.github.rip.emulator;

import static io.github.rip.emulator.EmulatorTestSupport.APP_ID;
import static io.github.rip.emulator.EmulatorTestSupport.CSV_JOB;
import static io.github.rip.emulator.EmulatorTestSupport.OTHER_APP_ID;
import static io.github.rip.emulator.EmulatorTestSupport.OTHER_SECRET;
import static io.github.rip.emulator.EmulatorTestSupport.SECRET;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every connector call needs a valid emulator token for this environment, from an app enabled on the job. */
class ConnectorAuthTest {

    static final String AUTH_FAILED =
            "{\"Message\":\"Authentication failed.\",\"StackTrace\":null,\"ExceptionType\":\"System.InvalidOperationException\"}";
    static final byte[] CSV = "CUSTOMERGROUPID,DESCRIPTION\n10,Retail\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dataDir;
    @TempDir
    static Path shortLivedDataDir;
    static D365Emulator emulator;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        emulator = D365Emulator.start(EmulatorTestSupport.config(dataDir).build());
        http = EmulatorTestSupport.httpClient(emulator);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void noTokenIs401WithD365sBody() throws Exception {
        HttpResponse<String> r = enqueue(null);

        assertEquals(401, r.statusCode());
        assertEquals(AUTH_FAILED, r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void aTokenForAnotherResourceIs401() throws Exception {
        String token = EmulatorTestSupport.token(emulator, APP_ID, SECRET, "https://other-env.operations.dynamics.com");

        HttpResponse<String> r = enqueue(token);

        assertEquals(401, r.statusCode());
        assertEquals(AUTH_FAILED, r.body());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").contains("audience"));
    }

    @Test
    void aTrailingSlashOnTheResourceIsTolerated() throws Exception {
        String token = EmulatorTestSupport.token(emulator, APP_ID, SECRET, emulator.baseUrl() + "/");

        assertEquals(200, enqueue(token).statusCode());
    }

    @Test
    void anAppNotEnabledOnTheJobIs401NamingIt() throws Exception {
        String token = EmulatorTestSupport.token(emulator, OTHER_APP_ID, OTHER_SECRET, emulator.baseUrl());

        HttpResponse<String> r = enqueue(token);

        assertEquals(401, r.statusCode());
        assertEquals("{\"Message\":\"Application " + OTHER_APP_ID + " is not authorized on recurring job "
                + CSV_JOB.toLowerCase() + ".\",\"StackTrace\":null,\"ExceptionType\":\"System.InvalidOperationException\"}",
                r.body());
    }

    @Test
    void enablingTheAppAtRuntimeLetsItIn() throws Exception {
        String appId = "0a1b2c3d-0000-4000-8000-00000000a003";
        emulator.registerApp(AppRegistration.withSecret(appId, "s3"));
        String token = EmulatorTestSupport.token(emulator, appId, "s3", emulator.baseUrl());
        assertEquals(401, enqueue(token).statusCode());

        emulator.enableApp(CSV_JOB, appId);

        assertEquals(200, enqueue(token).statusCode());
    }

    @Test
    void aTokenSignedByAnotherKeyIs401() throws Exception {
        RSAKey foreign = new RSAKeyGenerator(2048).keyID("foreign").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("foreign").build(),
                new JWTClaimsSet.Builder().audience(emulator.baseUrl()).claim("appid", APP_ID)
                        .expirationTime(new Date(System.currentTimeMillis() + 600_000)).build());
        jwt.sign(new RSASSASigner(foreign));

        HttpResponse<String> r = enqueue(jwt.serialize());

        assertEquals(401, r.statusCode());
        assertEquals(AUTH_FAILED, r.body());
    }

    @Test
    void anExpiredTokenIs401() throws Exception {
        try (D365Emulator shortLived = D365Emulator.start(EmulatorTestSupport.config(shortLivedDataDir)
                // 2 s, not 1: JWT times are whole seconds, so a 1 s token can expire ~0 ms after it was issued
                .tokenLifetime(Duration.ofSeconds(2)).build())) {
            HttpClient client = EmulatorTestSupport.httpClient(shortLived);
            String token = EmulatorTestSupport.token(shortLived);
            String path = "/api/connector/enqueue/" + CSV_JOB + "?entity=Customer%20groups";
            assertEquals(200, EmulatorTestSupport.enqueue(client, shortLived, token, path, CSV, null).statusCode());

            await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(100)).until(() ->
                    EmulatorTestSupport.enqueue(client, shortLived, token, path, CSV, null).statusCode() == 401);

            HttpResponse<String> r = EmulatorTestSupport.enqueue(client, shortLived, token, path, CSV, null);
            assertEquals(AUTH_FAILED, r.body());
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").contains("expired"));
        }
    }

    @Test
    void anUnknownActivityIs404() throws Exception {
        HttpResponse<String> r = EmulatorTestSupport.enqueue(http, emulator, EmulatorTestSupport.token(emulator),
                "/api/connector/enqueue/%7B00000000-1111-2222-3333-444444444444%7D?entity=X", CSV, null);

        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("Recurring job {00000000-1111-2222-3333-444444444444} was not found"), r.body());
    }

    @Test
    void jobstatusNeedsAuthenticationToo() throws Exception {
        HttpResponse<String> r = EmulatorTestSupport.get(http, emulator, null,
                "/api/connector/jobstatus/" + CSV_JOB + "?jobId=00000000-0000-0000-0000-000000000000");

        assertEquals(401, r.statusCode());
        assertEquals(AUTH_FAILED, r.body());
    }

    @Test
    void anUnknownMessageIs404() throws Exception {
        HttpResponse<String> r = EmulatorTestSupport.get(http, emulator, EmulatorTestSupport.token(emulator),
                "/api/connector/jobstatus/" + CSV_JOB + "?jobId=00000000-0000-0000-0000-000000000000");

        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("Message 00000000-0000-0000-0000-000000000000 was not found"), r.body());
    }

    private static HttpResponse<String> enqueue(String token) throws Exception {
        return EmulatorTestSupport.enqueue(http, emulator, token,
                "/api/connector/enqueue/" + CSV_JOB + "?entity=Customer%20groups", CSV, "groups.csv");
    }
}
