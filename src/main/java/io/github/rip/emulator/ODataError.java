package io.github.rip.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error of an OData action ({@link PackageApi}) in the platform's OData shape:
 * {@code {"error":{"code":"","message":"An error has occurred.","innererror":{"message":…,"type":…,"stacktrace":""}}}}.
 * The shape is taken from another OData action of the same platform; for the data management actions it is an
 * inference (docs/d365-api.md §2), and so is the status: 400 for a request D365 cannot act on (unknown data project,
 * unknown execution, missing parameter), as third parties report for GetExecutionSummaryStatus.
 */
final class ODataError extends HttpProblem {

    private final String action;

    private ODataError(int status, String action, String message) {
        super(status, message);
        this.action = action;
    }

    static ODataError badRequest(String action, String message) {
        return new ODataError(400, action, message);
    }

    @Override
    String jsonBody() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", "");
        error.put("message", "An error has occurred.");
        ObjectNode inner = error.putObject("innererror");
        inner.put("message", "Exception occurred while executing action " + action
                + " on Entity DataManagementDefinitionGroups: " + getMessage());
        inner.put("type", "Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataException");
        inner.put("stacktrace", "");
        return body.toString();
    }
}
