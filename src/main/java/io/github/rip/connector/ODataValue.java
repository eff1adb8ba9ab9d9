package io.github.rip.connector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code value} of a package API answer ({@code {"@odata.context":…,"value":…}}, docs/d365-api.md §2). Microsoft's
 * documentation prints some answers nested ({@code "value":{"value":…}}) where clients read a flat value; both are
 * read.
 */
public final class ODataValue {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ODataValue() {
    }

    /** The value as text ("" for an empty string); null when the answer holds no value. */
    public static String text(String answer) {
        JsonNode root;
        try {
            root = answer == null ? null : JSON.readTree(answer);
        } catch (JsonProcessingException e) {
            return null;
        }
        JsonNode value = root == null ? null : root.get("value");
        if (value != null && value.isObject() && value.has("value")) {
            value = value.get("value");
        }
        return value == null || value.isNull() ? null : value.asText();
    }

    /** A value that is itself JSON text (GetAzureWriteUrl, GetExecutionErrors), parsed; null when it is not JSON. */
    public static JsonNode json(String answer) {
        String text = text(answer);
        try {
            return text == null || text.isBlank() ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
