package io.github.rip.exporting;

/**
 * D365 answered a dequeue, download or ack with a 3xx/4xx that retrying at once will not change (app not enabled on
 * the job, unknown activity, file gone, stale receipt). The poll ends; the message, if any, stays with D365.
 */
public class D365RefusedException extends RuntimeException {

    private final int httpStatus;

    public D365RefusedException(String message, int httpStatus) {
        super(message);
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
