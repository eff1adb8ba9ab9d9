package io.github.rip.emulator;

import java.util.Map;

/** An error answer an endpoint throws; the router turns it into a JSON response with the given status and headers. */
abstract class HttpProblem extends RuntimeException {

    private final int status;

    HttpProblem(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    /** The JSON body exactly as it goes on the wire. */
    abstract String jsonBody();

    /** Extra response headers (e.g. WWW-Authenticate). */
    Map<String, String> headers() {
        return Map.of();
    }
}
