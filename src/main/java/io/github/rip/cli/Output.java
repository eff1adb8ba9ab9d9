package io.github.rip.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What a one-off command prints: lines for a person, or with {@code --json} one JSON object holding the same facts
 * ({@code ok}, the command's own fields, {@code problems}). Never a secret or token: commands only put journal rows and
 * D365's answers in.
 */
final class Output {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintStream out;
    private final boolean json;
    private final Map<String, Object> document = new LinkedHashMap<>();
    private final List<String> lines = new java.util.ArrayList<>();
    private final List<String> problems = new java.util.ArrayList<>();

    Output(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** A field of the JSON document. */
    Output put(String key, Object value) {
        document.put(key, value);
        return this;
    }

    /** A field put before. */
    Object get(String key) {
        return document.get(key);
    }

    /** A line for a person. */
    Output line(String text) {
        lines.add(text);
        return this;
    }

    /** A problem: a line for a person, an entry of "problems" in JSON. */
    Output problem(String text) {
        problems.add(text);
        return this;
    }

    /** Prints everything and returns the exit code: 0 when ok, else 1. */
    int finish(boolean ok) {
        if (json) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("ok", ok);
            all.putAll(document);
            all.put("problems", problems);
            try {
                out.println(JSON.writeValueAsString(all));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            lines.forEach(out::println);
            problems.forEach(p -> out.println("problem: " + p));
        }
        return ok ? 0 : 1;
    }
}
