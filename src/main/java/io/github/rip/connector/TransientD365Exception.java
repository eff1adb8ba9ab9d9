package io.github.rip.connector;

import java.time.Duration;

/** D365 (or the way to it) failed in a way that may pass: network, 5xx, 408, 429, token service. Retried; the file stays. */
public class TransientD365Exception extends RuntimeException {

    private final Integer httpStatus;
    private final Duration retryAfter;

    public TransientD365Exception(String message, Integer httpStatus, Duration retryAfter) {
        super(message);
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    public TransientD365Exception(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = null;
        this.retryAfter = null;
    }

    public Integer httpStatus() {
        return httpStatus;
    }

    /** The server's Retry-After, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
