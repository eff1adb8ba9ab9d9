package io.github.rip.connector;

import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One call of D365's connector API or data management package API (or of the blob storage URL the package API hands
 * out), as the caller wants it made: the route {@code d365-call}
 * (d365-calls.camel.yaml) and {@link D365Client} make every call the same way (token, headers, one renewal on 401,
 * classification of failures). Put it in the exchange property {@link #PROPERTY}, send the exchange to
 * {@code direct:d365-call}; the answer's body is then the text (or, for a streamed call, the open stream).
 *
 * @param name        what the call is called in messages: "Enqueue", "Dequeue", ...
 * @param method      GET or POST
 * @param path        the URL path below the D365 base URL; for a blob storage call the whole SAS URL
 *                    ({@link #isBlobStorage()}: sent without the bearer token)
 * @param query       the URL query, already encoded; null for none
 * @param body        a file streamed from disk, a text, or null for none
 * @param contentType the body's type, or null
 * @param externalId  the x-ms-dyn-externalidentifier header, or null
 * @param activityId  the recurring data job the call is about (names it in authentication problems)
 * @param streamed    the answer is left as a stream for the caller (downloads); else it is read as text
 * @param onSend      run just before the request leaves (the enqueue journals it: a lost answer may mean a duplicate)
 * @param onRefused   run when D365 answered with anything but success: the request left nothing behind in D365 (after
 *                    a success the caller records the outcome itself; until then a crash must count as "may have
 *                    arrived")
 */
public record D365Call(String name, String method, String path, String query, Object body, String contentType,
                       String externalId, String activityId, boolean streamed, Runnable onSend, Runnable onRefused) {

    /** The exchange property holding the call. */
    public static final String PROPERTY = "ripCall";

    private static final Runnable NOTHING = () -> { };
    private static final String PACKAGE_API = "/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** POST /api/connector/enqueue/{activity}?entity&company with the file streamed from disk. */
    public static D365Call enqueue(String activityId, String query, File upload, String externalId, Runnable onSend,
                                   Runnable onRefused) {
        return new D365Call("Enqueue", "POST", "/api/connector/enqueue/" + activityId, query, upload,
                "application/octet-stream", externalId, activityId, false, onSend, onRefused);
    }

    /** The enqueue URL's query: {@code entity} (left out for data packages, as D365 expects) and {@code company}. */
    public static String enqueueQuery(String entity, String company) {
        StringBuilder q = new StringBuilder();
        if (entity != null && !entity.isBlank()) {
            q.append("entity=").append(encode(entity));
        }
        if (company != null && !company.isBlank()) {
            q.append(q.length() > 0 ? "&" : "").append("company=").append(encode(company));
        }
        return q.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** GET /api/connector/jobstatus/{activity}?jobId={message id}. */
    public static D365Call jobStatus(String activityId, String messageId) {
        return get("Jobstatus", "/api/connector/jobstatus/" + activityId, "jobId=" + messageId, activityId, false);
    }

    /** GET /api/connector/dequeue/{activity}: 204 = nothing to export. */
    public static D365Call dequeue(String activityId) {
        return get("Dequeue", "/api/connector/dequeue/" + activityId, null, activityId, false);
    }

    /** GET of a checked DownloadLocation's path and query on the D365 host; the package is left as a stream. */
    public static D365Call download(String activityId, String path, String query) {
        return get("Download", path, query, activityId, true);
    }

    /** POST /api/connector/ack/{activity} with the dequeue answer as D365 sent it. */
    public static D365Call ack(String activityId, String dequeueJson) {
        return new D365Call("Ack", "POST", "/api/connector/ack/" + activityId, null, dequeueJson, "application/json",
                null, activityId, false, NOTHING, NOTHING);
    }

    // --- the data management package API (docs/d365-api.md §2): OData actions with a JSON body ---
    // Not tied to a recurring data job: the activity is null, so an authentication problem is the runner's, not a job's.

    /** GetAzureWriteUrl: a blob URL (SAS, write) to upload a package to. */
    public static D365Call azureWriteUrl(String uniqueFileName) {
        return action("GetAzureWriteUrl", jsonBody().put("uniqueFileName", uniqueFileName), NOTHING, NOTHING);
    }

    /**
     * ImportFromPackage: imports the uploaded package into the data project; the answer's value is the execution id.
     * Hooks as for the enqueue: from the moment it leaves, D365 may run the import.
     */
    public static D365Call importFromPackage(String packageUrl, String definitionGroup, String executionId,
                                             boolean execute, boolean overwrite, String legalEntity, Runnable onSend,
                                             Runnable onRefused) {
        return action("ImportFromPackage", jsonBody().put("packageUrl", packageUrl)
                .put("definitionGroupId", definitionGroup).put("executionId", executionId).put("execute", execute)
                .put("overwrite", overwrite).put("legalEntityId", legalEntity == null ? "" : legalEntity),
                onSend, onRefused);
    }

    /** ExportToPackage: starts an export of the data project; the answer's value is the execution id. */
    public static D365Call exportToPackage(String definitionGroup, String packageName, String executionId,
                                           boolean reExecute, String legalEntity) {
        return action("ExportToPackage", jsonBody().put("definitionGroupId", definitionGroup)
                .put("packageName", packageName).put("executionId", executionId).put("reExecute", reExecute)
                .put("legalEntityId", legalEntity == null ? "" : legalEntity), NOTHING, NOTHING);
    }

    /** GetExecutionSummaryStatus: NotRun, Executing, Succeeded, PartiallySucceeded, Failed, Canceled, Unknown. */
    public static D365Call executionSummaryStatus(String executionId) {
        return action("GetExecutionSummaryStatus", jsonBody().put("executionId", executionId), NOTHING, NOTHING);
    }

    /** GetExportedPackageUrl: the package's blob URL (SAS, read), "" until it is written. */
    public static D365Call exportedPackageUrl(String executionId) {
        return action("GetExportedPackageUrl", jsonBody().put("executionId", executionId), NOTHING, NOTHING);
    }

    /** GetExecutionErrors: a JSON text of the execution's errors. */
    public static D365Call executionErrors(String executionId) {
        return action("GetExecutionErrors", jsonBody().put("executionId", executionId), NOTHING, NOTHING);
    }

    /** PUT of a package to the blob URL GetAzureWriteUrl gave ({@code x-ms-blob-type: BlockBlob}), without the token. */
    public static D365Call blobUpload(String blobUrl, File upload) {
        return new D365Call("Blob upload", "PUT", BlobUrl.checked(blobUrl, "GetAzureWriteUrl"), null, upload,
                "application/octet-stream", null, null, false, NOTHING, NOTHING);
    }

    /** GET of an exported package from the blob URL GetExportedPackageUrl gave, without the token; left as a stream. */
    public static D365Call blobDownload(String blobUrl) {
        return new D365Call("Blob download", "GET", BlobUrl.checked(blobUrl, "GetExportedPackageUrl"), null, null,
                null, null, null, true, NOTHING, NOTHING);
    }

    /** Whether the call goes to blob storage (a SAS URL): never with the bearer token, never a token renewal. */
    public boolean isBlobStorage() {
        return path.startsWith("https://") || path.startsWith("http://");
    }

    private static D365Call action(String action, ObjectNode body, Runnable onSend, Runnable onRefused) {
        return new D365Call(action, "POST", PACKAGE_API + action, null, body.toString(), "application/json", null,
                null, false, onSend, onRefused);
    }

    private static ObjectNode jsonBody() {
        return JSON.createObjectNode();
    }

    private static D365Call get(String name, String path, String query, String activityId, boolean streamed) {
        return new D365Call(name, "GET", path, query, null, null, null, activityId, streamed, NOTHING, NOTHING);
    }
}
