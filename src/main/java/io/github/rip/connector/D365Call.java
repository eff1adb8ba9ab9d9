package io.github.rip.connector;

import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * One call of D365's connector API, as the caller wants it made: the route {@code d365-call}
 * (d365-calls.camel.yaml) and {@link D365Client} make every call the same way (token, headers, one renewal on 401,
 * classification of failures). Put it in the exchange property {@link #PROPERTY}, send the exchange to
 * {@code direct:d365-call}; the answer's body is then the text (or, for a streamed call, the open stream).
 *
 * @param name        what the call is called in messages: "Enqueue", "Dequeue", ...
 * @param method      GET or POST
 * @param path        the URL path below the D365 base URL
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

    private static D365Call get(String name, String path, String query, String activityId, boolean streamed) {
        return new D365Call(name, "GET", path, query, null, null, null, activityId, streamed, NOTHING, NOTHING);
    }
}
