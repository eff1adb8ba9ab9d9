package io.github.rip.emulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A token-endpoint error in Entra ID's shape: {@code error}, {@code error_description} ending in trace/correlation
 * ids, {@code error_codes}, {@code timestamp}, {@code trace_id}, {@code correlation_id}, {@code error_uri}.
 * Entra answers 401 for {@code invalid_client} (e.g. AADSTS7000215) and 400 for the others.
 */
final class EntraError extends HttpProblem {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final String error;
    private final int code;

    private EntraError(int status, String error, int code, String description) {
        super(status, description);
        this.error = error;
        this.code = code;
    }

    /** invalid_client (401): the client's credential was wrong or missing. */
    static EntraError invalidClient(int code, String description) {
        return new EntraError(401, "invalid_client", code, description);
    }

    /** unauthorized_client (400): e.g. AADSTS700016, the app is unknown in the tenant. */
    static EntraError unauthorizedClient(int code, String description) {
        return new EntraError(400, "unauthorized_client", code, description);
    }

    static EntraError invalidRequest(int code, String description) {
        return new EntraError(400, "invalid_request", code, description);
    }

    static EntraError invalidScope(int code, String description) {
        return new EntraError(400, "invalid_scope", code, description);
    }

    static EntraError unsupportedGrantType(String grantType) {
        return new EntraError(400, "unsupported_grant_type", 70003,
                "The app requested an unsupported grant type '" + grantType + "'.");
    }

    String error() {
        return error;
    }

    @Override
    String jsonBody() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String traceId = UUID.randomUUID().toString();
        String correlationId = UUID.randomUUID().toString();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("error", error);
        body.put("error_description", "AADSTS" + code + ": " + getMessage() + "\r\nTrace ID: " + traceId
                + "\r\nCorrelation ID: " + correlationId + "\r\nTimestamp: " + TIMESTAMP.format(now));
        body.putArray("error_codes").add(code);
        body.put("timestamp", TIMESTAMP.format(now));
        body.put("trace_id", traceId);
        body.put("correlation_id", correlationId);
        body.put("error_uri", "https://login.microsoftonline.com/error?code=" + code);
        return body.toString();
    }
}
