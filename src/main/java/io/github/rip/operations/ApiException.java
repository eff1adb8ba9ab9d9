package io.github.rip.operations;

/** A request the API answers with an error status and a sentence (unknown job or message, a bad parameter). */
public final class ApiException extends RuntimeException {

    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
