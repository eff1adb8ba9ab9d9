package io.github.rip.operations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The API's JSON: maps and lists of plain values written by Jackson (times are ISO-8601 strings, written by the API). */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The API's own values cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** A JSON string literal. */
    static String quote(String text) {
        return write(text);
    }
}
