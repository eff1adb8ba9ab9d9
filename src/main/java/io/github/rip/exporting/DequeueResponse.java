package io.github.rip.exporting;

import java.util.Iterator;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.rip.connector.D365RefusedException;

/**
 * A dequeue answer (docs/d365-api.md §1.2): the exact JSON (it is what the ack sends back) and its fields, read ignoring
 * the case of the field names.
 *
 * @param json                the body as D365 sent it
 * @param correlationId       canonical: lower case, no braces
 * @param popReceipt          the receipt of this dequeue
 * @param downloadLocation    the package URL, null when D365 sent none
 * @param fileExists          {@code IsDownLoadFileExist}; null when absent
 * @param fileErrorMessage    {@code FileDownLoadErrorMessage}; null when absent or empty
 * @param lastDequeueDateTime set when D365 offers the message again; null on the first delivery
 */
public record DequeueResponse(String json, String correlationId, String popReceipt, String downloadLocation,
                              Boolean fileExists, String fileErrorMessage, String lastDequeueDateTime) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Parses a 200 answer; a body without a CorrelationId is D365 breaking the protocol, not a message. */
    public static DequeueResponse parse(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new D365RefusedException("Dequeue answered 200 but the body is not JSON: " + e.getOriginalMessage(),
                    200, json);
        }
        if (node == null || !node.isObject()) {
            throw new D365RefusedException("Dequeue answered 200 but the body is not a JSON object", 200, json);
        }
        String correlationId = canonical(text(node, "CorrelationId"));
        if (correlationId == null) {
            throw new D365RefusedException("Dequeue answered 200 without a CorrelationId", 200, json);
        }
        JsonNode exists = field(node, "IsDownLoadFileExist");
        Boolean fileExists = exists == null || exists.isNull() ? null
                : exists.isBoolean() ? exists.booleanValue() : Boolean.valueOf(exists.asText().trim());
        return new DequeueResponse(json, correlationId, text(node, "PopReceipt"), text(node, "DownloadLocation"),
                fileExists, text(node, "FileDownLoadErrorMessage"), text(node, "LastDequeueDateTime"));
    }

    /** Whether there is a package to download: D365 did not say there is none, and gave a location. */
    public boolean hasFile() {
        return !Boolean.FALSE.equals(fileExists) && downloadLocation != null;
    }

    /** Whether D365 offers this message again (an earlier dequeue was not acked). */
    public boolean isRedelivery() {
        return lastDequeueDateTime != null;
    }

    /** A GUID as the journal keeps it: trimmed, braces removed, lower case. */
    static String canonical(String id) {
        if (id == null) {
            return null;
        }
        String c = id.trim().replace("{", "").replace("}", "").toLowerCase(Locale.ROOT);
        return c.isEmpty() ? null : c;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.asText().trim();
        return text.isEmpty() ? null : text;
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode exact = node.get(name);
        if (exact != null) {
            return exact;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String candidate = names.next();
            if (candidate.equalsIgnoreCase(name)) {
                return node.get(candidate);
            }
        }
        return null;
    }
}
