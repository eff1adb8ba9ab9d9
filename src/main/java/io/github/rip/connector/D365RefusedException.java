package io.github.rip.connector;

/**
 * D365 answered a call with a 3xx/4xx that repeating it will not change (unknown activity, bad request, file gone,
 * stale receipt, a redirect that was not followed). What it means is the caller's: an import file goes to failed/ with
 * this answer in its report, an export poll ends and the message stays with D365.
 */
public class D365RefusedException extends RuntimeException {

    private final int httpStatus;
    private final String responseBody;

    public D365RefusedException(String message, int httpStatus, String responseBody) {
        super(message);
        this.httpStatus = httpStatus;
        this.responseBody = responseBody;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** D365's answer as received (cut at 16 KiB), for the report; may be null. */
    public String responseBody() {
        return responseBody;
    }
}
