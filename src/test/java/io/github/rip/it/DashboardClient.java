package io.github.rip.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Test fixture: the dashboard's HTTP API as a script (curl) uses it, with the JDK client: JSON in, optional Basic or
 * bearer login, any extra headers (to play a foreign site), and the Prometheus text of /observe/metrics read by name.
 */
final class DashboardClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, String body, HttpResponse<String> response) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final Map<String, String> login = new LinkedHashMap<>();

    DashboardClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    DashboardClient basic(String user, String password) {
        login.put("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    DashboardClient bearer(String token) {
        login.put("Authorization", "Bearer " + token);
        return this;
    }

    Answer get(String path, String... headers) {
        return send("GET", path, headers);
    }

    Answer post(String path, String... headers) {
        return send("POST", path, headers);
    }

    /** A POST as the page sends it: with the session's CSRF token. */
    Answer act(String path) {
        String token = get("/api/session").json().path("csrfToken").asText();
        return post(path, "X-Rip-Csrf", token);
    }

    /**
     * The status line of a GET sent with the given Host header, over a plain socket (the JDK client refuses to set
     * Host): what a browser sends when a foreign page has rebound its own host name to 127.0.0.1.
     */
    String statusWithHost(String path, String host) {
        URI base = URI.create(baseUrl);
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close"
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst()
                    .orElse("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A counter or gauge of /observe/metrics by its exact name and labels, e.g. rip_x_total{job="a"}; 0 if absent. */
    double metric(String nameAndLabels) {
        String prefix = nameAndLabels + " ";
        return get("/observe/metrics").body().lines().filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length()).trim())).findFirst().orElse(0);
    }

    private Answer send(String method, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        login.forEach(request::header);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
