package io.github.rip.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The plain client the baselines use: one JDK {@link HttpClient} trusting the emulator's certificate, and one bearer
 * token from the emulator's token endpoint (client credentials). Connection settings come from environment variables
 * the harness sets: BENCH_BASE_URL, BENCH_AUTHORITY, BENCH_TRUSTSTORE, BENCH_CLIENT_ID, BENCH_CLIENT_SECRET.
 */
final class D365Client {

    static final ObjectMapper JSON = new ObjectMapper();

    final String baseUrl;
    final HttpClient http;
    private final String authority;
    private final String clientId;
    private final String secret;

    D365Client(String baseUrl, String authority, Path trustStore, String clientId, String secret) {
        this.baseUrl = baseUrl;
        this.authority = authority.endsWith("/") ? authority : authority + "/";
        this.clientId = clientId;
        this.secret = secret;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trust(trustStore))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    static D365Client fromEnvironment() {
        return new D365Client(env("BENCH_BASE_URL"), env("BENCH_AUTHORITY"), Path.of(env("BENCH_TRUSTSTORE")),
                env("BENCH_CLIENT_ID"), env("BENCH_CLIENT_SECRET"));
    }

    /** A bearer token for the D365 resource (scope {@code <base url>/.default}). */
    String token() throws IOException, InterruptedException {
        String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(secret)
                + "&scope=" + enc(baseUrl + "/.default");
        HttpRequest request = HttpRequest.newBuilder(URI.create(authority + "oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Token endpoint answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).get("access_token").asText();
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Environment variable " + name + " is not set");
        }
        return value;
    }

    private static SSLContext trust(Path trustStore) {
        try (InputStream in = Files.newInputStream(trustStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, "emulator".toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot load trust store " + trustStore, e);
        }
    }
}
