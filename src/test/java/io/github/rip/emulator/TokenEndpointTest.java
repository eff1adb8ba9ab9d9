package io.github.rip.emulator;

import static io.github.rip.emulator.EmulatorTestSupport.APP_ID;
import static io.github.rip.emulator.EmulatorTestSupport.SECRET;
import static io.github.rip.emulator.EmulatorTestSupport.TENANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Entra ID side, driven by the real msal4j 1.26.1 over HTTPS with the emulator's generated trust store. */
class TokenEndpointTest {

    @TempDir
    static Path dataDir;
    static D365Emulator emulator;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        emulator = D365Emulator.start(EmulatorTestSupport.config(dataDir).tokenLifetime(Duration.ofMinutes(30)).build());
        http = EmulatorTestSupport.httpClient(emulator);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void msal4jGetsATokenWithAClientSecret() throws Exception {
        int before = emulator.requests().size();
        String token = EmulatorTestSupport.token(emulator);

        List<String> msalRequests = emulator.requests().subList(before, emulator.requests().size());
        System.out.println("msal4j requested: " + msalRequests);
        assertEquals(List.of("POST /" + TENANT + "/oauth2/v2.0/token"), msalRequests);

        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertEquals(List.of(emulator.baseUrl()), claims.getAudience());
        assertEquals(APP_ID, claims.getStringClaim("appid"));
        assertEquals(APP_ID, claims.getStringClaim("azp"));
        assertEquals(TENANT, claims.getStringClaim("tid"));
        assertEquals("1", claims.getStringClaim("appidacr"));
        assertEquals(emulator.baseUrl() + "/" + TENANT + "/v2.0", claims.getIssuer());
        long lifetime = claims.getExpirationTime().getTime() - claims.getIssueTime().getTime();
        assertEquals(Duration.ofMinutes(30).toMillis(), lifetime);
        assertEquals(claims.getIssueTime(), claims.getNotBeforeTime());
    }

    @Test
    void msal4jGetsATokenWithACertificate() throws Exception {
        var cert = EmulatorTestSupport.AppCertificate.generate("rip-test-app");
        String appId = "0a1b2c3d-0000-4000-8000-00000000c0de";
        emulator.registerApp(AppRegistration.withCertificate(appId, cert.certificate()));
        IClientCredential credential = ClientCredentialFactory.createFromCertificate(cert.keys().getPrivate(),
                cert.certificate());

        String token = EmulatorTestSupport.msal(emulator, appId, credential)
                .acquireToken(ClientCredentialParameters.builder(Set.of(emulator.baseUrl() + "/.default")).build())
                .get().accessToken();

        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertEquals(appId, claims.getStringClaim("appid"));
        assertEquals("2", claims.getStringClaim("appidacr"));
    }

    @Test
    void aCertificateOtherThanTheRegisteredOneIsRejected() throws Exception {
        var registered = EmulatorTestSupport.AppCertificate.generate("registered");
        var other = EmulatorTestSupport.AppCertificate.generate("other");
        String appId = "0a1b2c3d-0000-4000-8000-00000000bad0";
        emulator.registerApp(AppRegistration.withCertificate(appId, registered.certificate()));

        MsalServiceException e = msalFailure(appId, ClientCredentialFactory.createFromCertificate(
                other.keys().getPrivate(), other.certificate()));

        assertEquals("invalid_client", e.errorCode());
        assertEquals(401, e.statusCode());
        assertTrue(e.getMessage().contains("AADSTS700027"), e.getMessage());
    }

    @Test
    void aWrongSecretIsRejectedLikeEntra() throws Exception {
        MsalServiceException e = msalFailure(APP_ID, ClientCredentialFactory.createFromSecret("not-the-secret"));

        assertEquals("invalid_client", e.errorCode());
        assertEquals(401, e.statusCode());
        assertTrue(e.getMessage().startsWith("AADSTS7000215: Invalid client secret provided."), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-secret"), "the secret must not be echoed");
    }

    @Test
    void anUnknownAppIsRejected() throws Exception {
        MsalServiceException e = msalFailure("0a1b2c3d-0000-4000-8000-0000000dead0",
                ClientCredentialFactory.createFromSecret(SECRET));

        assertEquals("unauthorized_client", e.errorCode());
        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains("AADSTS700016"), e.getMessage());
    }

    @Test
    void aScopeWithoutDefaultIsRejected() throws Exception {
        HttpResponse<String> r = postForm("/" + TENANT + "/oauth2/v2.0/token", "grant_type=client_credentials"
                + "&client_id=" + APP_ID + "&client_secret=" + SECRET + "&scope=" + emulator.baseUrl() + "/read");

        assertEquals(400, r.statusCode());
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals("invalid_scope", body.get("error").asText());
        assertEquals(1002012, body.get("error_codes").get(0).asInt());
        assertTrue(body.get("error_description").asText().contains("Trace ID:"));
    }

    @Test
    void theV1EndpointTakesAResource() throws Exception {
        HttpResponse<String> r = postForm("/any-tenant-name/oauth2/token", "grant_type=client_credentials"
                + "&client_id=" + APP_ID + "&client_secret=" + SECRET + "&resource=" + emulator.baseUrl());

        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals(emulator.baseUrl(), body.get("resource").asText());
        String token = body.get("access_token").asText();
        assertEquals(List.of(emulator.baseUrl()), SignedJWT.parse(token).getJWTClaimsSet().getAudience());
    }

    @Test
    void discoveryDocumentsPointAtTheEmulator() throws Exception {
        HttpResponse<String> config = EmulatorTestSupport.get(http, emulator, null,
                "/" + TENANT + "/v2.0/.well-known/openid-configuration");
        assertEquals(200, config.statusCode());
        JsonNode doc = Json.MAPPER.readTree(config.body());
        assertEquals(emulator.authority() + "oauth2/v2.0/token", doc.get("token_endpoint").asText());

        HttpResponse<String> keys = EmulatorTestSupport.get(http, emulator, null, "/" + TENANT + "/discovery/v2.0/keys");
        JsonNode key = Json.MAPPER.readTree(keys.body()).get("keys").get(0);
        assertEquals("RSA", key.get("kty").asText());
        assertFalse(key.has("d"), "the private exponent must never be published");
    }

    private MsalServiceException msalFailure(String appId, IClientCredential credential) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> EmulatorTestSupport
                .msal(emulator, appId, credential)
                .acquireToken(ClientCredentialParameters.builder(Set.of(emulator.baseUrl() + "/.default")).build())
                .get());
        return assertInstanceOf(MsalServiceException.class, e.getCause());
    }

    private HttpResponse<String> postForm(String path, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
