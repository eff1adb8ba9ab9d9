package io.github.rip.emulator;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error of the connector API in the shape D365's AOS uses ({@code {"Message","StackTrace","ExceptionType"}}),
 * as seen for a 401 in microsoft/Dynamics-AX-Integration#49. Other statuses reuse the shape (UNCONFIRMED).
 */
final class ConnectorError extends HttpProblem {

    private final String exceptionType;
    private final Map<String, String> headers;

    private ConnectorError(int status, String message, String exceptionType, Map<String, String> headers) {
        super(status, message);
        this.exceptionType = exceptionType;
        this.headers = headers;
    }

    /** 401 with the body D365 returns for a rejected token; {@code reason} only goes into WWW-Authenticate. */
    static ConnectorError authenticationFailed(String reason) {
        return new ConnectorError(401, "Authentication failed.", "System.InvalidOperationException",
                Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"" + reason + "\""));
    }

    /** 401 for a valid token whose app is not enabled on the recurring job's authorization policy. */
    static ConnectorError notAuthorized(String appId, String activityId) {
        return new ConnectorError(401, "Application " + appId + " is not authorized on recurring job " + activityId
                + ".", "System.InvalidOperationException", Map.of());
    }

    /** 401 for a valid token whose app is enabled on no recurring job (the admin calls that name no job). */
    static ConnectorError notAuthorizedOnAnyJob(String appId) {
        return new ConnectorError(401, "Application " + appId + " is not authorized on any recurring job.",
                "System.InvalidOperationException", Map.of());
    }

    static ConnectorError notFound(String message) {
        return new ConnectorError(404, message, "System.ArgumentException", Map.of());
    }

    static ConnectorError badRequest(String message) {
        return new ConnectorError(400, message, "System.ArgumentException", Map.of());
    }

    static ConnectorError tooLarge(long limit) {
        return new ConnectorError(413, "Request entity too large: the emulator accepts at most " + limit
                + " bytes per enqueue.", "System.Web.HttpException", Map.of());
    }

    static ConnectorError of(int status, String message) {
        return new ConnectorError(status, message, "System.Exception", Map.of());
    }

    @Override
    String jsonBody() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("Message", getMessage());
        body.putNull("StackTrace");
        body.put("ExceptionType", exceptionType);
        return body.toString();
    }

    @Override
    Map<String, String> headers() {
        return headers;
    }
}
