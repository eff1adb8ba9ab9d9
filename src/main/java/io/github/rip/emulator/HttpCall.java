package io.github.rip.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.sun.net.httpserver.HttpExchange;

/** One HTTP request being answered: route name, path parameters, case-insensitive query, body, and response helpers. */
final class HttpCall {

    private final HttpExchange exchange;
    private final String routeName;
    private final Map<String, String> pathParams;
    private final Map<String, String> query;
    private boolean responded;
    private boolean bodyRead;
    /** Set by fault injection: the handler runs but whatever it answers is thrown away and the connection cut. */
    private boolean discardResponse;

    HttpCall(HttpExchange exchange, String routeName, Map<String, String> pathParams) {
        this.exchange = exchange;
        this.routeName = routeName;
        this.pathParams = Map.copyOf(pathParams);
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
    }

    /** The name of the matched route, e.g. {@code enqueue}; fault injection keys on it. */
    String routeName() {
        return routeName;
    }

    String method() {
        return exchange.getRequestMethod();
    }

    String path() {
        return exchange.getRequestURI().getRawPath();
    }

    /** A decoded path parameter such as {@code activityId}. */
    String pathParam(String name) {
        return pathParams.get(name);
    }

    /** A decoded query parameter; the name is matched ignoring case (clients send jobId and jobid). */
    Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    /** The declared Content-Length, or -1 when absent (chunked). */
    long declaredLength() {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    InputStream body() {
        bodyRead = true;
        return exchange.getRequestBody();
    }

    boolean hasResponded() {
        return responded;
    }

    void setHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    /** Sends a JSON body (already serialized) with {@code application/json; charset=utf-8}. */
    void sendJson(int status, String json) throws IOException {
        send(status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    void send(int status, String contentType, byte[] body) throws IOException {
        responded = true;
        if (discardResponse) {
            return;
        }
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-store, no-cache");
        if (status >= 400 && !bodyRead && declaredLength() != 0) {
            // refused before reading the upload: the connection is not reused, so no client ever sends its next
            // request on a socket the server is still draining or has dropped
            exchange.getResponseHeaders().set("Connection", "close");
        }
        if (body.length == 0) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    void sendEmpty(int status) throws IOException {
        send(status, null, new byte[0]);
    }

    /** Streams a file of known size as the body (never whole in memory). */
    void sendFile(int status, String contentType, Path file, long size) throws IOException {
        // Opened before anything counts as sent, so a missing file can still get an error answer.
        try (InputStream in = Files.newInputStream(file)) {
            responded = true;
            if (discardResponse) {
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("Cache-Control", "no-store, no-cache");
            exchange.sendResponseHeaders(status, size == 0 ? -1 : size);
            if (size > 0) {
                byte[] buffer = new byte[64 * 1024]; // fewer, larger TLS writes than transferTo's 8 KiB
                try (OutputStream out = exchange.getResponseBody()) {
                    int n;
                    while ((n = in.read(buffer)) != -1) {
                        out.write(buffer, 0, n);
                    }
                }
            }
        }
    }

    /**
     * Leaves the call unanswered on purpose: when the router then closes the exchange without response headers sent,
     * the JDK server closes the connection, which the client sees as a network cut.
     */
    void abandon() {
        responded = true;
        discardResponse = true;
    }

    /** Lets the handler run but cuts the connection instead of sending its answer. */
    void discardResponse() {
        discardResponse = true;
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> result = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (rawQuery == null || rawQuery.isEmpty()) {
            return result;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1));
            result.putIfAbsent(name, value);
        }
        return Collections.unmodifiableMap(result);
    }

    /** Query strings follow form encoding: '+' is a space, as ASP.NET decodes it. */
    private static String decodeQuery(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    /** Path segments keep '+' literally; only %XX escapes are decoded. */
    static String decodePathSegment(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }
}
